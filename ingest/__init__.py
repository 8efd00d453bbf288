"""Reading, cleaning, chunking and storing the CLS knowledge base."""

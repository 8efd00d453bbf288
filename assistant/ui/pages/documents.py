"""Page script of the documents list and upload (a file, so that `AppTest.switch_page` can reach it)."""

from assistant.ui import documents

documents.render()

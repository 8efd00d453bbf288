"""Page script of the chat (a file, so that `AppTest.switch_page` can reach it)."""

from assistant.ui import chat

chat.render()

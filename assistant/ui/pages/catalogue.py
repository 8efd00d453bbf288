"""Page script of the catalogue (a file, so that `AppTest.switch_page` can reach it)."""

from assistant.ui import catalogue

catalogue.render()

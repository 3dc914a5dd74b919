"""The monthly test: admins who opt in are reminded each month to post a test message in
their group's chat, and confirm it with one click from the mail (issue #17, part 4)."""

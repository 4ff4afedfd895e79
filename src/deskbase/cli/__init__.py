"""The `deskbase` command line."""

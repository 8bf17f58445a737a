"""WordPress (WXR) import: typed health pages, reader replies, images and redirects."""

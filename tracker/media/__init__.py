"""Images founders upload: checked and resized with Pillow, stored under content-hash names."""

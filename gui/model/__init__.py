"""The app's Qt-free model: what the window shows and saves, testable without a window."""

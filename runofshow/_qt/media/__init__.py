"""Video segments' files played full screen on the output screen, the countdown following
the file."""

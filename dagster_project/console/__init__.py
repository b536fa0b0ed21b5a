"""What `cartera run` shows on the terminal: progress per step, the summary, failures in one line each."""

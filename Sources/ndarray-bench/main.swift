print("ndarray-bench: not yet")

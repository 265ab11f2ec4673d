"""Statement vectors: the model interface, the backends, pooling, the persistent store and the run
memo."""

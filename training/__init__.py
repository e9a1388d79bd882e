"""The machinery of train_neuralnet.py, kept out of the book's script.

checks   the rules for train()'s arguments, written once (train() and the command line use them)
monitor  History, and the progress bar, clock and per-epoch lines around the book's loop
network  make_network: the reference's TwoLayerNet or the book's class (seed, dtype) for training and loading
outputs  save_params / load_params / plot_history, every file written atomically
cli      `python train_neuralnet.py [flags]`: argument parsing, loading MNIST, the outputs

It is a package, not a top-level module, so that a learner's kata workspace (which gets
every top-level *.py) holds the book's script and not this.
"""

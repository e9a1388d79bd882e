"""make_network: a TwoLayerNet to train or load, whether it is the reference's or the book's class.

The reference's TwoLayerNet takes seed= and dtype=; the book's (section 5.7.2, and a learner's
class pasted from the book into the kata's workspace) takes (input_size, hidden_size,
output_size, weight_init_std) and draws from np.random. Both train here: the book's class gets
its weights drawn from the same seed, written into its own arrays in place (the Affine layers
hold them), and another dtype than its float64 by new arrays handed to the book's layers
(layers['Affine1'].W ..., the book's names).
"""
import inspect

import numpy as np

# param name -> (layer name, attribute) in the book's network (section 5.7.2)
BOOK_LAYERS = {"W1": ("Affine1", "W"), "b1": ("Affine1", "b"), "W2": ("Affine2", "W"), "b2": ("Affine2", "b")}


def _takes_seed_and_dtype(cls):
    try:
        params = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return False
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return True
    return "seed" in params and "dtype" in params


def make_network(cls, input_size, hidden_size, output_size, seed, dtype, weight_init_std=0.01):
    """cls(input_size, hidden_size, output_size) with weights of std weight_init_std drawn from `seed`
    (an int or a numpy Generator) and parameters of `dtype`; the same seed gives the same network."""
    if _takes_seed_and_dtype(cls):
        return cls(input_size=input_size, hidden_size=hidden_size, output_size=output_size,
                   weight_init_std=weight_init_std, seed=seed, dtype=dtype)
    network = cls(input_size, hidden_size, output_size, weight_init_std)
    rng = np.random.default_rng(seed)
    shapes = {"W1": (input_size, hidden_size), "b1": (hidden_size,), "W2": (hidden_size, output_size),
              "b2": (output_size,)}
    for key, shape in shapes.items():
        value = weight_init_std * rng.standard_normal(shape) if key.startswith("W") else np.zeros(shape)
        if np.dtype(dtype) == network.params[key].dtype:
            network.params[key][...] = value  # in place: the layers hold this very array
            continue
        layer_name, attr = BOOK_LAYERS[key]
        layer = getattr(network, "layers", {}).get(layer_name)
        if layer is None or getattr(layer, attr, None) is not network.params[key]:
            raise ValueError(f"{cls.__name__}: params['{key}'] is not layers['{layer_name}'].{attr} (the book's "
                             f"structure), so it cannot be made {np.dtype(dtype).name}; use dtype float64")
        network.params[key] = value.astype(dtype)
        setattr(layer, attr, network.params[key])
    return network

"""The kata's exercises, in the book's order: the single source of truth.

Each exercise names the functions/methods the learner writes ("module:Qualified.name"),
the exercises it needs first, and is verified by the tests marked
@pytest.mark.exercise("<id>").
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Exercise:
    id: str            # book section
    title: str
    targets: tuple     # "module:qualname" of each body the learner writes
    prereqs: tuple = ()
    hints: tuple = field(default=())   # levels: nudge -> the book's equation -> the code's shape


EXERCISES = (
    Exercise("5.4.1", "MulLayer: multiplication node",
             ("layers:MulLayer.forward", "layers:MulLayer.backward")),
    Exercise("5.4.2", "AddLayer: addition node",
             ("layers:AddLayer.forward", "layers:AddLayer.backward"),
             prereqs=("5.4.1",)),  # buy_apple_orange.py needs MulLayer too
    Exercise("5.5.1", "Relu layer",
             ("layers:Relu.forward", "layers:Relu.backward")),
    Exercise("5.5.2", "Sigmoid layer",
             ("layers:Sigmoid.forward", "layers:Sigmoid.backward")),
    Exercise("5.6.2", "Affine layer (batch)",
             ("layers:Affine.forward", "layers:Affine.backward")),
    Exercise("4.2", "softmax and cross_entropy_error (sections 3.5.2, 4.2.4)",
             ("functions:softmax", "functions:cross_entropy_error")),
    Exercise("5.6.3", "SoftmaxWithLoss layer",
             ("layers:SoftmaxWithLoss.forward", "layers:SoftmaxWithLoss.backward"),
             prereqs=("4.2",)),
    Exercise("4.4", "numerical_gradient (centred difference)",
             ("gradient:numerical_gradient",)),
    Exercise("5.7.2", "TwoLayerNet: predict, loss, accuracy, gradient by backprop",
             ("two_layer_net:TwoLayerNet.predict", "two_layer_net:TwoLayerNet.loss",
              "two_layer_net:TwoLayerNet.accuracy", "two_layer_net:TwoLayerNet.gradient"),
             prereqs=("5.5.1", "5.6.2", "5.6.3")),
    Exercise("5.7.3", "Gradient check: TwoLayerNet.numerical_gradient vs backprop",
             ("two_layer_net:TwoLayerNet.numerical_gradient",),
             prereqs=("4.4", "5.7.2")),
    Exercise("5.7.4", "Training: one SGD step",
             ("train_neuralnet:train_step",),
             prereqs=("5.7.2",)),
)

EXERCISE_IDS = tuple(ex.id for ex in EXERCISES)

"""The kata's exercises, in the book's order: the single source of truth (the hints: kata/hints.py).

Each exercise names the functions/methods the learner writes ("module:Qualified.name"),
the exercises it needs first, and is verified by the tests marked
@pytest.mark.exercise("<id>").
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    id: str            # book section
    title: str
    targets: tuple     # "module:qualname" of each body the learner writes
    prereqs: tuple = ()
    title_ko: str = ""
    title_ja: str = ""

    @property
    def hints(self):
        """Levels: nudge -> the book's equation -> the code's shape (kata/hints.py)."""
        from kata.hints import HINTS
        return HINTS.get(self.id, ())


L, F, G, N, T = "layers", "functions", "gradient", "two_layer_net", "train_neuralnet"
EXERCISES = (
    Exercise("5.4.1", "MulLayer: multiplication node", (f"{L}:MulLayer.forward", f"{L}:MulLayer.backward"),
             title_ko="MulLayer: 곱셈 계층", title_ja="MulLayer: 乗算レイヤ"),
    # buy_apple_orange.py needs MulLayer too
    Exercise("5.4.2", "AddLayer: addition node", (f"{L}:AddLayer.forward", f"{L}:AddLayer.backward"),
             prereqs=("5.4.1",), title_ko="AddLayer: 덧셈 계층",
             title_ja="AddLayer: 加算レイヤ"),
    Exercise("5.5.1", "Relu layer", (f"{L}:Relu.forward", f"{L}:Relu.backward"), title_ko="Relu 계층",
             title_ja="Reluレイヤ"),
    Exercise("5.5.2", "Sigmoid layer", (f"{L}:Sigmoid.forward", f"{L}:Sigmoid.backward"),
             title_ko="Sigmoid 계층", title_ja="Sigmoidレイヤ"),
    Exercise("5.6.2", "Affine layer (batch)", (f"{L}:Affine.forward", f"{L}:Affine.backward"),
             title_ko="배치용 Affine 계층", title_ja="バッチ版Affineレイヤ"),
    Exercise("4.2", "softmax and cross_entropy_error (sections 3.5.2, 4.2.4)",
             (f"{F}:softmax", f"{F}:cross_entropy_error"),
             title_ko="softmax와 cross_entropy_error (3.5.2절, 4.2.4절)",
             title_ja="softmaxとcross_entropy_error（3.5.2節、4.2.4節）"),
    Exercise("5.6.3", "SoftmaxWithLoss layer", (f"{L}:SoftmaxWithLoss.forward", f"{L}:SoftmaxWithLoss.backward"),
             prereqs=("4.2",), title_ko="Softmax-with-Loss 계층", title_ja="Softmax-with-Lossレイヤ"),
    Exercise("4.4", "numerical_gradient (centred difference)", (f"{G}:numerical_gradient",),
             title_ko="numerical_gradient (중심 차분)", title_ja="numerical_gradient（中心差分）"),
    Exercise("5.7.2", "TwoLayerNet: predict, loss, accuracy, gradient by backprop",
             (f"{N}:TwoLayerNet.predict", f"{N}:TwoLayerNet.loss", f"{N}:TwoLayerNet.accuracy",
              f"{N}:TwoLayerNet.gradient"),
             prereqs=("5.5.1", "5.6.2", "5.6.3"),
             title_ko="TwoLayerNet: predict, loss, accuracy, 오차역전파법으로 구하는 gradient",
             title_ja="TwoLayerNet: predict、loss、accuracy、誤差逆伝播法によるgradient"),
    Exercise("5.7.3", "Gradient check: TwoLayerNet.numerical_gradient vs backprop",
             (f"{N}:TwoLayerNet.numerical_gradient",), prereqs=("4.4", "5.7.2"),
             title_ko="기울기 확인: TwoLayerNet.numerical_gradient와 역전파 비교",
             title_ja="勾配確認: TwoLayerNet.numerical_gradientと誤差逆伝播法の比較"),
    Exercise("5.7.4", "Training: one SGD step", (f"{T}:train_step",), prereqs=("5.7.2",),
             title_ko="학습: SGD 한 단계", title_ja="学習: SGDの1ステップ"),
)

EXERCISE_IDS = tuple(ex.id for ex in EXERCISES)
BY_ID = {ex.id: ex for ex in EXERCISES}


def prerequisites(ex_id):
    """Every exercise `ex_id` needs, directly or through others, in book order (the kata's one walk)."""
    needed, todo = set(), list(BY_ID[ex_id].prereqs)
    while todo:
        p = todo.pop()
        if p not in needed:
            needed.add(p)
            todo += list(BY_ID[p].prereqs)
    return tuple(e for e in EXERCISE_IDS if e in needed)


def with_prerequisites(ids):
    """ids and all their prerequisites, in book order."""
    wanted = {i for ex_id in ids for i in (ex_id, *prerequisites(ex_id))}
    return tuple(e for e in EXERCISE_IDS if e in wanted)


def dependents(ex_id):
    """Ids of the exercises that need `ex_id`, directly or through others (book order)."""
    return tuple(ex.id for ex in EXERCISES if ex_id in prerequisites(ex.id))


def manifest_problems():
    """Structural errors of the manifest itself (empty list when it is consistent)."""
    problems = []
    seen = set()
    for ex in EXERCISES:
        if ex.id in seen:
            problems.append(f"{ex.id}: duplicate id")
        for p in ex.prereqs:
            if p not in seen:  # earlier in the list => acyclic by construction
                problems.append(f"{ex.id}: prerequisite {p} is not an earlier exercise")
        if not ex.targets:
            problems.append(f"{ex.id}: no targets")
        for t in ex.targets:
            if t.count(":") != 1:
                problems.append(f"{ex.id}: target {t!r} is not 'module:Qualified.name'")
        if len(ex.hints) != 3:
            problems.append(f"{ex.id}: needs 3 hint levels (nudge, equation, code shape), has {len(ex.hints)}")
        if not ex.title_ko:
            problems.append(f"{ex.id}: no Korean title")
        if not ex.title_ja:
            problems.append(f"{ex.id}: no Japanese title")
        seen.add(ex.id)
    return problems

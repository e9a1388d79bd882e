"""Korean and Japanese for the diagnoses the tests write in English (tests/checks.py,
tests/layer_checks.py, the kata plugin's crash advice), translated when they are shown.

The tests stay English (they are the reference's spec, read by every reader of the code);
the screens translate their messages line by line: `translate(text, code)`.

TEMPLATES: (English, Korean, Japanese). The English one is the shape of a whole line (its
indentation aside), read as a regular expression whose `{name}` placeholders are named groups
(GROUPS gives a group's pattern where the default `.+?` would be ambiguous; a name used twice
must match the same text twice). The Korean and Japanese ones use the same placeholders. A
group named in SENTENCES is itself a sentence (a "why", an advice, a phrase) and is translated
by the same table; every other group (code, numbers, shapes, identifiers) is kept as it is.
A line no template matches is shown unchanged.
"""
import re

SENTENCES = frozenset({"why", "advice", "what", "reference", "name", "detail", "numpy", "subject", "seen"})

GROUPS = {
    "n": r"\d+", "bad": r"\d+", "size": r"\d+", "i": r"\d+",
    "exc": r"(?:[A-Z]\w*(?:Error|Exception): )?",   # a crash message names its exception first
    "idx": r"\[[\d, ]*\] *",                         # an element index, padded to its column
    "key": r"\w+", "attr": r"\w+", "k": r"\d+", "c": r"\d+", "cls": r"\w+", "op": r"[\w ]+", "numpy": r"[^']+",
    "d": r"d[xy]", "v": r"[xy]",
    "old_shape": r"\([\d, ]*\)", "new_shape": r"\([\d, ]*\)", "old_dtype": r"\w+", "new_dtype": r"\w+",
    "base": r"[\w.]+(?: \w+)?", "targets": r"labels|one-hot", "bound": r"\S+",
    "g_shape": r"\([\d, ]*\)", "lshape": r"\([\d, N]*\)", "error": r"`[^`]*`", "method": r"forward|backward",
    "gcall": r"(?:self\.)?\w+(?:\(\))?(?: after backward\(\))?(?:'s d[xy])?",
    "pyerror": r"[A-Z]\w*(?:Error|Exception|Warning)(?:: .*)?",
    "huge": r"(?:, logits \+-1e4)?", "note": r"[a-z-]+", "ex": r"[\d.]+", "other": r"[Wb][12]",
}

TEMPLATES = [
    # ---- an extra beyond the book found absent (tests/extras.py): shown as a failure only under --strict;
    # first, as their lines would also fit the general shapes below
    ("{note}: {seen} (an extra beyond the book, see kata/notes.py)",
     "{note}: {seen} (책의 범위를 넘는 기능입니다. kata/notes.py 참고)",
     "{note}: {seen}（本書の範囲を超える機能です。kata/notes.pyを参照）"),
    ("SoftmaxWithLoss.backward(dout={value}) returned the gradient for dout = 1: dout was not used",
     "SoftmaxWithLoss.backward(dout={value})가 dout = 1일 때의 기울기를 반환했습니다: dout을 쓰지 않았습니다",
     "SoftmaxWithLoss.backward(dout={value})がdout = 1のときの勾配を返しました: doutを使っていません"),
    ("Relu.backward mutated its input dout in place: dout[self.mask] = 0 set {n} of {size} elements of the "
     "caller's array to 0 (the book's form)",
     "Relu.backward가 입력 dout을 제자리에서 바꿨습니다: dout[self.mask] = 0이 호출한 쪽 배열의 원소 {size}개 중 "
     "{n}개를 0으로 만들었습니다 (책의 형태)",
     "Relu.backwardが入力doutをその場で書き換えました: dout[self.mask] = 0が呼び出し側の配列の{size}個の要素のうち"
     "{n}個を0にしています（本書の形）"),
    ("Relu.forward set {n} of {size} elements of the caller's x to 0 in place and returned x itself",
     "Relu.forward가 호출한 쪽 x의 원소 {size}개 중 {n}개를 제자리에서 0으로 바꾸고 x 자체를 반환했습니다",
     "Relu.forwardが呼び出し側のxの{size}個の要素のうち{n}個をその場で0にし、xそのものを返しました"),
    ("Sigmoid.forward at x = -1000: numpy warned '{numpy}' (the values are right)",
     "x = -1000에서의 Sigmoid.forward: numpy가 경고했습니다({numpy}) (값은 맞습니다)",
     "x = -1000でのSigmoid.forward: numpyが警告しました（{numpy}）（値は正しい）"),
    ("Affine.forward with x of shape {shape} and W of shape {g_shape} raised {error}",
     "형상 {shape}인 x와 형상 {g_shape}인 W로 Affine.forward를 호출하자 오류가 났습니다: {error}",
     "形状{shape}のxと形状{g_shape}のWでAffine.forwardを呼ぶとエラーになりました: {error}"),
    ("SoftmaxWithLoss.{method} with labels t of shape {lshape} raised {error}",
     "형상 {lshape}인 정답 레이블 t로 SoftmaxWithLoss.{method}를 호출하자 오류가 났습니다: {error}",
     "形状{lshape}の正解ラベルtでSoftmaxWithLoss.{method}を呼ぶとエラーになりました: {error}"),
    ("SoftmaxWithLoss.forward with labels t of shape {lshape} computed -sum(t * log(y)) / N with t broadcast over "
     "the rows, as one-hot-only code does",
     "형상 {lshape}인 정답 레이블 t로 SoftmaxWithLoss.forward가 t를 각 행에 브로드캐스트해 -sum(t * log(y)) / N을 "
     "계산했습니다 (원-핫만 받는 코드와 같음)",
     "形状{lshape}の正解ラベルtで、SoftmaxWithLoss.forwardがtを各行にブロードキャストして-sum(t * log(y)) / Nを"
     "計算しました（one-hotだけを受け付けるコードと同じ）"),
    ("SoftmaxWithLoss.backward with labels t of shape {lshape}{huge} computed (y - t) / N with t broadcast over "
     "the rows, as one-hot-only code does",
     "형상 {lshape}인 정답 레이블 t{huge}로 SoftmaxWithLoss.backward가 t를 각 행에 브로드캐스트해 (y - t) / N을 "
     "계산했습니다 (원-핫만 받는 코드와 같음)",
     "形状{lshape}の正解ラベルt{huge}で、SoftmaxWithLoss.backwardがtを各行にブロードキャストして(y - t) / Nを"
     "計算しました（one-hotだけを受け付けるコードと同じ）"),
    ("numerical_gradient with x of shape {shape} raised {error}",
     "형상 {shape}인 x로 numerical_gradient를 호출하자 오류가 났습니다: {error}",
     "形状{shape}のxでnumerical_gradientを呼ぶとエラーになりました: {error}"),
    ("numerical_gradient of sum(x**2) at the integer array [3, 4] returned {got} (dtype {dtype}), not [6.0, 8.0]",
     "정수 배열 [3, 4]에서 sum(x**2)의 numerical_gradient가 [6.0, 8.0]이 아니라 {got}(dtype {dtype})을 "
     "반환했습니다",
     "整数の配列[3, 4]でのsum(x**2)のnumerical_gradientが[6.0, 8.0]ではなく{got}（dtype {dtype}）を返しました"),
    ("cross_entropy_error(y, 2) with a Python int label raised {error}",
     "파이썬 int 정답 레이블로 호출한 cross_entropy_error(y, 2)가 오류를 냈습니다: {error}",
     "Pythonのintの正解ラベルで呼んだcross_entropy_error(y, 2)がエラーになりました: {error}"),
    ("{subject}: {error}, from inside the computation", "{subject}: 계산 도중에 난 오류: {error}",
     "{subject}: 計算の途中で起きたエラー: {error}"),
    ("{subject}: no error, the code went on with it", "{subject}: 오류 없이 코드가 그대로 실행되었습니다",
     "{subject}: エラーにならず、コードがそのまま進みました"),
    ("{subject} raised {error}", "{subject}: 오류가 났습니다: {error}", "{subject}: エラーになりました: {error}"),
    # ---- the report of assert_grad_close / assert_close (tests/checks.py)
    ("likely mistake: {why}", "예상되는 실수: {why}", "考えられる間違い: {why}"),
    ("{name}: got None instead of an array of shape {shape} (missing return?)",
     "{name}: 형상 {shape}인 배열 대신 None이 나왔습니다 (return을 빠뜨리지 않았나요?)",
     "{name}: 形状{shape}の配列ではなくNoneが返りました（returnを忘れていませんか？）"),
    ("{name}: wrong shape: expected {expected}, got {got} ({what})",
     "{name}: 형상이 틀렸습니다: 기대한 형상은 {expected}, 실제는 {got} ({what})",
     "{name}: 形状が違います: 期待される形状は{expected}、実際は{got}（{what}）"),
    ("the shape of what it is the gradient of", "기울기는 미분하는 대상과 형상이 같아야 합니다",
     "勾配は微分する対象と同じ形状になります"),
    ("the expected value's shape", "기댓값의 형상", "期待値の形状"),
    ("{name}: expected numbers, got an array of dtype {dtype}",
     "{name}: 숫자 배열이어야 하는데 dtype이 {dtype}인 배열이 나왔습니다",
     "{name}: 数値の配列が必要ですが、dtypeが{dtype}の配列が返りました"),
    ("{name}: expected numbers, got dtype {dtype}",
     "{name}: 숫자여야 하는데 dtype이 {dtype}인 값이 나왔습니다",
     "{name}: 数値が必要ですが、dtypeが{dtype}の値が返りました"),
    ("{name}: {bad} of {size} values differ from the {reference}",
     "{name}: 값 {size}개 중 {bad}개가 기준값({reference})과 다릅니다",
     "{name}: {size}個の値のうち{bad}個が{reference}と一致しません"),
    ("numerical gradient", "수치 미분으로 구한 기울기", "数値微分で求めた勾配"),
    ("exact gradient", "해석적으로 구한 정확한 기울기", "解析的に求めた正確な勾配"),
    ("shape {shape}, dtype {dtype} (reference {rdtype}); max relative error {rel} "
     "(allowed: |diff| <= {atol} + {rtol} * {scale})",
     "형상 {shape}, dtype {dtype} (기준값 {rdtype}); 최대 상대 오차 {rel} "
     "(허용 범위: |diff| <= {atol} + {rtol} * {scale})",
     "形状{shape}、dtype {dtype}（基準値は{rdtype}）、最大相対誤差{rel}"
     "（許容範囲: |diff| <= {atol} + {rtol} * {scale}）"),
    ("worst elements:", "차이가 가장 큰 원소:", "ずれが最も大きい要素:"),
    ("{idx} got {got}   expected {expected}", "{idx} 계산값 {got}   정답 {expected}",
     "{idx} 計算値 {got}   正解 {expected}"),
    ("{name}: {bad} of {size} values wrong (shape {shape}, dtype {dtype})",
     "{name}: 값 {size}개 중 {bad}개가 틀렸습니다 (형상 {shape}, dtype {dtype})",
     "{name}: {size}個の値のうち{bad}個が間違っています（形状{shape}、dtype {dtype}）"),
    ("got {got}, expected {expected}", "계산값 {got}, 정답 {expected}", "計算値{got}、正解{expected}"),
    ("{who} mutated its input {key} in place: {detail}",
     "{who}: 입력 {key}의 값을 제자리에서(in-place) 바꿨습니다: {detail}",
     "{who}が入力{key}をその場で（in-place）書き換えています: {detail}"),
    ("shape/dtype {old_shape} {old_dtype} -> {new_shape} {new_dtype}",
     "형상/dtype {old_shape} {old_dtype} -> {new_shape} {new_dtype}",
     "形状/dtype {old_shape} {old_dtype} -> {new_shape} {new_dtype}"),
    ("{n} of {size} elements changed, e.g. {idx} {old} -> {new}",
     "원소 {size}개 중 {n}개가 바뀌었습니다. 예: {idx} {old} -> {new}",
     "{size}個の要素のうち{n}個が変わりました。例: {idx} {old} -> {new}"),
    ("work on a copy (e.g. {key}.copy()) instead of changing the caller's array",
     "호출한 쪽의 배열을 바꾸지 말고 복사본(예: {key}.copy())으로 계산하세요",
     "呼び出し側の配列を書き換えずに、コピー（例: {key}.copy()）に対して計算してください"),
    ("{who}: numpy reported '{numpy}' while computing it: an inf or NaN appeared "
     "(inf - inf, 0 * inf, 0 / 0 or x / 0)",
     "{who}: 계산 중에 numpy가 오류를 알렸습니다({numpy}): inf나 NaN이 생겼습니다 "
     "(inf - inf, 0 * inf, 0 / 0 또는 x / 0)",
     "{who}: 計算中にnumpyがエラーを報告しました（{numpy}）: infかNaNが生じています"
     "（inf - inf、0 * inf、0 / 0 または x / 0）"),
    ("{who}: numpy reported '{numpy}'", "{who}: numpy가 오류를 알렸습니다({numpy})",
     "{who}: numpyがエラーを報告しました（{numpy}）"),
    # numpy's own words, inside the two lines above
    ("overflow encountered in {op}", "{op}에서 오버플로 발생", "{op}でオーバーフローが発生"),
    ("divide by zero encountered in {op}", "{op}에서 0으로 나누기 발생", "{op}でゼロ除算が発生"),
    ("invalid value encountered in {op}", "{op}에서 유효하지 않은 값(NaN) 발생", "{op}で不正な値（NaN）が発生"),
    # errors of the numerical gradients themselves (a learner's forward of the wrong shape)
    ("{exc}{who}: gradient checks need a float64 numpy array, got {kind}",
     "{exc}{who}: 기울기 확인에는 float64 numpy 배열이 필요합니다 (받은 것: {kind})",
     "{exc}{who}: 勾配の確認にはfloat64のnumpy配列が必要です（渡されたのは{kind}）"),
    ("{exc}numeric_vjp: forward returned shape {shape}, G has {g_shape}",
     "{exc}numeric_vjp: forward가 반환한 형상은 {shape}인데 G의 형상은 {g_shape}입니다",
     "{exc}numeric_vjp: forwardが返した形状は{shape}ですが、Gの形状は{g_shape}です"),
    ("{exc}numeric_grad: f must return one number, got shape {shape}",
     "{exc}numeric_grad: f는 수 하나를 반환해야 하는데, 형상 {shape}인 값을 반환했습니다",
     "{exc}numeric_grad: fは数値を1つ返す必要がありますが、形状{shape}の値を返しました"),

    # ---- the "likely mistake" classifiers (tests/checks.py)
    ("{bad} of {size} values are NaN or inf: an overflow or a 0/0 happened in the computation",
     "값 {size}개 중 {bad}개가 NaN 또는 inf입니다: 계산 중에 오버플로나 0/0이 일어났습니다",
     "{size}個の値のうち{bad}個がNaNかinfです: 計算の途中でオーバーフローか0/0が起きています"),
    ("every value is 0: is the gradient computed at all (or overwritten with zeros)?",
     "모든 값이 0입니다: 기울기를 계산하긴 했나요? (0으로 덮어쓰지 않았나요?)",
     "すべての値が0です: 勾配をそもそも計算していますか？（0で上書きしていませんか？）"),
    ("{n} times too large, and {n} is the batch size: the division by the batch size is missing",
     "정답의 {n}배이고, 그 배수가 배치 크기(N = {n})와 같습니다: 배치 크기로 나누는 처리가 빠졌습니다",
     "正しい値の{n}倍で、その倍率はバッチサイズ（N = {n}）と同じです: バッチサイズで割る処理が抜けています"),
    ("{n} times too small, and {n} is the batch size: the division by the batch size is done twice",
     "정답의 1/{n}이고, 그 분모가 배치 크기(N = {n})와 같습니다: 배치 크기로 두 번 나누었습니다",
     "正しい値の1/{n}で、その分母はバッチサイズ（N = {n}）と同じです: バッチサイズで2回割っています"),
    ("the sign is flipped (e.g. t - y instead of y - t, or x - h instead of x + h)",
     "부호가 반대입니다 (예: y - t 대신 t - y, 또는 x + h 대신 x - h)",
     "符号が逆です（例: y - tではなくt - y、またはx + hではなくx - h）"),
    ("it is the right gradient transposed: check the order of the matrix product "
     "(dW = x.T @ dout has W's shape (D, M); dout.T @ x is (M, D))",
     "올바른 기울기를 전치한 값입니다: 행렬 곱의 순서를 확인하세요 "
     "(dW = x.T @ dout은 W와 같은 형상 (D, M)이고, dout.T @ x는 (M, D)입니다)",
     "正しい勾配を転置したものです: 行列の積の順番を確認してください"
     "（dW = x.T @ doutはWと同じ形状(D, M)、dout.T @ xは(M, D)です）"),
    ("it has dout's shape (N, M): the bias gradient must be summed over the batch "
     "(db = np.sum(dout, axis=0), shape (M,))",
     "dout과 같은 형상 (N, M)입니다: 편향의 기울기는 배치 방향으로 합해야 합니다 "
     "(db = np.sum(dout, axis=0), 형상 (M,))",
     "doutと同じ形状(N, M)です: バイアスの勾配はバッチ方向に総和を取ります"
     "（db = np.sum(dout, axis=0)、形状(M,)）"),
    ("it has shape (N,): it was summed over the wrong axis; the bias gradient is summed over the batch, axis=0",
     "형상이 (N,)입니다: 엉뚱한 축으로 합했습니다. 편향의 기울기는 배치 방향(axis=0)으로 합합니다",
     "形状が(N,)です: 違う軸で総和を取っています。バイアスの勾配はバッチ方向（axis=0）に総和を取ります"),
    ("it has an extra leading axis of {n}: it must be summed over the batch",
     "맨 앞에 크기 {n}인 축이 하나 더 있습니다: 배치 방향으로 합해야 합니다",
     "先頭に大きさ{n}の余分な軸があります: バッチ方向に総和を取る必要があります"),
    ("it has the transposed shape: check the order of the matrix product",
     "형상이 전치되어 있습니다: 행렬 곱의 순서를 확인하세요",
     "形状が転置になっています: 行列の積の順番を確認してください"),
    ("it is one number: np.sum(dout) without axis= adds up every element; the bias gradient is summed over the "
     "batch only, np.sum(dout, axis=0), shape (M,)",
     "숫자 하나입니다: axis= 없이 쓴 np.sum(dout)은 모든 원소를 더합니다. 편향의 기울기는 배치 방향으로만 "
     "합합니다. np.sum(dout, axis=0), 형상 (M,)",
     "1つの数になっています: axis=なしのnp.sum(dout)はすべての要素を足します。バイアスの勾配はバッチ方向だけに"
     "総和を取ります。np.sum(dout, axis=0)、形状(M,)"),
    ("it has the right number of values in the wrong shape: reshape it to the input's "
     "original shape (x.shape before flattening)",
     "원소 수는 맞지만 형상이 다릅니다: 입력의 원래 형상(평탄화하기 전의 x.shape)으로 reshape하세요",
     "要素数は合っていますが形状が違います: 入力の元の形状（平坦化する前のx.shape）にreshapeしてください"),
    ("it equals row {i} of dout: the bias gradient must be summed over the batch (db = np.sum(dout, axis=0))",
     "dout의 {i}번 행과 같습니다: 편향의 기울기는 배치 방향으로 합해야 합니다 (db = np.sum(dout, axis=0))",
     "doutの{i}番目の行と同じです: バイアスの勾配はバッチ方向に総和を取ります（db = np.sum(dout, axis=0)）"),
    ("it equals dout summed over axis 1: the wrong axis; the bias gradient is summed over the batch, axis=0",
     "dout을 axis=1로 합한 값과 같습니다: 축이 틀렸습니다. 편향의 기울기는 배치 방향(axis=0)으로 합합니다",
     "doutをaxis=1で総和したものと同じです: 軸が違います。バイアスの勾配はバッチ方向（axis=0）に総和を取ります"),
    ("it equals the gradient for dout = 1: the upstream gradient dout was ignored (chain rule: multiply by dout)",
     "dout = 1일 때의 기울기와 같습니다: 상류에서 흘러온 기울기 dout을 무시했습니다 (연쇄법칙: dout을 곱하세요)",
     "dout = 1のときの勾配と同じです: 上流から伝わってきた勾配doutを無視しています（連鎖律: doutを掛けてください）"),
    ("every value is {r} times the right one: a constant factor is wrong",
     "모든 값이 정답의 {r}배입니다: 곱해진 상수가 틀렸습니다",
     "すべての値が正しい値の{r}倍です: 定数倍の係数が間違っています"),

    # ---- numpy floating-point errors (checks._FP_ADVICE)
    ("exp of a large score: softmax must subtract the maximum of each row before exp, "
     "e.g. x - np.max(x, axis=-1, keepdims=True) (section 3.5.2)",
     "점수가 커서 exp가 오버플로했습니다: softmax는 exp를 계산하기 전에 각 행의 최댓값을 빼야 합니다. "
     "예: x - np.max(x, axis=-1, keepdims=True) (3.5.2절)",
     "スコアが大きくexpがオーバーフローしました: softmaxではexpの前に各行の最大値を引きます。"
     "例: x - np.max(x, axis=-1, keepdims=True)（3.5.2節）"),
    ("log(0): add a small delta inside the log, np.log(y + 1e-7) (section 4.2.2)",
     "log(0)이 계산되었습니다: log 안에 아주 작은 값 delta를 더하세요. np.log(y + 1e-7) (4.2.2절)",
     "log(0)を計算しています: logの中に微小な値deltaを足してください。np.log(y + 1e-7)（4.2.2節）"),
    ("exp of a large score: the softmax must subtract each row's maximum before exp",
     "점수가 커서 exp가 오버플로했습니다: 소프트맥스는 exp를 계산하기 전에 각 행의 최댓값을 빼야 합니다",
     "スコアが大きくexpがオーバーフローしました: ソフトマックスではexpの前に各行の最大値を引きます"),
    ("log(0): cross_entropy_error must add a small delta, np.log(y + 1e-7)",
     "log(0)이 계산되었습니다: cross_entropy_error에서 아주 작은 값 delta를 더해야 합니다. np.log(y + 1e-7)",
     "log(0)を計算しています: cross_entropy_errorでは微小な値deltaを足します。np.log(y + 1e-7)"),
    ("np.exp(-x) overflows for x < -709: 1 / (1 + np.exp(-x)) is the book's formula, "
     "functions.sigmoid computes the same values without overflow",
     "x < -709이면 np.exp(-x)가 오버플로합니다: 1 / (1 + np.exp(-x))는 책에 나온 식이고, "
     "functions.sigmoid는 오버플로 없이 같은 값을 계산합니다",
     "x < -709ではnp.exp(-x)がオーバーフローします: 1 / (1 + np.exp(-x))は本書の式で、"
     "functions.sigmoidはオーバーフローせずに同じ値を計算します"),
    ("np.exp(-x) overflows for x < -709: compute it without a huge exp, e.g. np.exp(-np.logaddexp(0, -x))",
     "x < -709이면 np.exp(-x)가 오버플로합니다: 거대한 exp 없이 계산하세요. 예: np.exp(-np.logaddexp(0, -x))",
     "x < -709ではnp.exp(-x)がオーバーフローします: 巨大なexpを使わずに計算してください。"
     "例: np.exp(-np.logaddexp(0, -x))"),

    # ---- the checks of each layer and function (tests/layer_checks.py)
    ("{d} equals dout * {v}: MulLayer.backward must swap x and y: dz/dx = y and dz/dy = x",
     "{d}가 dout * {v}입니다: MulLayer.backward는 x와 y를 서로 바꿔 곱해야 합니다: dz/dx = y, dz/dy = x",
     "{d}がdout * {v}になっています: MulLayer.backwardではxとyを入れ替えて掛けます: dz/dx = y、dz/dy = x"),
    ("it returns x where x < 0 and 0 where x > 0: the mask is inverted",
     "x < 0인 곳에서 x를, x > 0인 곳에서 0을 반환합니다: 마스크가 반대입니다",
     "x < 0のところでxを、x > 0のところで0を返しています: マスクが逆です"),
    ("dx lets dout through where x <= 0 and blocks it where x > 0: the mask is inverted",
     "dx가 x <= 0인 곳에서 dout을 흘려보내고 x > 0인 곳에서 막습니다: 마스크가 반대입니다",
     "dxがx <= 0のところでdoutを通し、x > 0のところで止めています: マスクが逆です"),
    ("Relu.backward at x == 0: got dx = {got}, expected 0.0",
     "x == 0에서의 Relu.backward: dx = {got}, 정답은 0.0",
     "x == 0でのRelu.backward: dx = {got}ですが、正解は0.0です"),
    ("the mask must be x <= 0 (not x < 0): at the kink x == 0 the book, and TensorFlow, pass no gradient",
     "마스크는 x < 0이 아니라 x <= 0이어야 합니다: 꺾이는 점 x == 0에서는 책도 TensorFlow도 기울기를 "
     "흘려보내지 않습니다",
     "マスクはx < 0ではなくx <= 0です: 折れ曲がる点x == 0では、本書もTensorFlowも勾配を流しません"),
    ("it is dout * out * (1 + out): the factor is (1 - out), dy/dx = out * (1 - out) (equation 5.12)",
     "값이 dout * out * (1 + out)입니다: 곱할 인수는 (1 - out)입니다. dy/dx = out * (1 - out) (식 5.12)",
     "dout * out * (1 + out)になっています: 掛ける因子は(1 - out)です。dy/dx = out * (1 - out)（式5.12）"),
    ("the bias is not added: out = np.dot(x, self.W) + self.b",
     "편향을 더하지 않았습니다: out = np.dot(x, self.W) + self.b",
     "バイアスを足していません: out = np.dot(x, self.W) + self.b"),
    ("each row is divided by the sum over the whole batch: np.sum without axis=; sum each row, "
     "np.sum(np.exp(x), axis=-1, keepdims=True) (the book's 2-D form transposes x so axis=0 is a row)",
     "각 행을 배치 전체의 합으로 나눴습니다: axis= 없는 np.sum입니다. 행마다 합하세요. "
     "np.sum(np.exp(x), axis=-1, keepdims=True) (책의 2차원 형태는 x를 전치해서 axis=0이 한 행이 됩니다)",
     "各行をバッチ全体の和で割っています: axis=なしのnp.sumです。行ごとに和を取ってください。"
     "np.sum(np.exp(x), axis=-1, keepdims=True)（書籍の2次元の形はxを転置するのでaxis=0が1行になります）"),
    ("it is (x - t) / N with the scores x: backward needs the softmax output, self.y = softmax(x) in forward",
     "점수 x로 계산한 (x - t) / N입니다: backward에는 소프트맥스의 출력이 필요합니다. forward에서 "
     "self.y = softmax(x)",
     "スコアxで計算した(x - t) / Nになっています: backwardにはソフトマックスの出力が必要です。forwardで"
     "self.y = softmax(x)"),
    ("it is 1 / (1 + exp(x)): the sign inside exp is flipped, the sigmoid is 1 / (1 + np.exp(-x))",
     "값이 1 / (1 + exp(x))입니다: exp 안의 부호가 반대입니다. 시그모이드는 1 / (1 + np.exp(-x))입니다",
     "1 / (1 + exp(x))になっています: expの中の符号が逆です。シグモイドは1 / (1 + np.exp(-x))です"),
    ("it is dout * x * (1 - x): Sigmoid.backward must use the output, dx = dout * out * (1 - out), "
     "not the input x",
     "값이 dout * x * (1 - x)입니다: Sigmoid.backward는 입력 x가 아니라 순전파의 출력 out을 써야 합니다. "
     "dx = dout * out * (1 - out)",
     "dout * x * (1 - x)になっています: Sigmoid.backwardでは入力xではなく順伝播の出力outを使います。"
     "dx = dout * out * (1 - out)"),
    ("it is dout * (1 - out): the factor out is missing, dy/dx = out * (1 - out) (equation 5.12)",
     "값이 dout * (1 - out)입니다: 곱해야 할 out이 빠졌습니다. dy/dx = out * (1 - out) (식 5.12)",
     "dout * (1 - out)になっています: 掛けるべきoutが抜けています。dy/dx = out * (1 - out)（式5.12）"),
    ("it is dout * out: the factor (1 - out) is missing, dy/dx = out * (1 - out) (equation 5.12)",
     "값이 dout * out입니다: 곱해야 할 (1 - out)이 빠졌습니다. dy/dx = out * (1 - out) (식 5.12)",
     "dout * outになっています: 掛けるべき(1 - out)が抜けています。dy/dx = out * (1 - out)（式5.12）"),
    ("dx = dout @ W: it must be dout @ W.T (shape (N, D))",
     "dx = dout @ W로 계산했습니다: dout @ W.T여야 합니다 (형상 (N, D))",
     "dx = dout @ Wになっています: dout @ W.Tでなければなりません（形状(N, D)）"),
    ("{subject}, second call on the same layer", "{subject} (같은 계층을 두 번째로 호출했을 때)",
     "{subject}（同じレイヤの2回目の呼び出し）"),
    ("it is the first call's result: the layer kept what it computed on the first call "
     "(e.g. `if self.mask is None: ...`); forward must store what it needs from each new input",
     "첫 번째 호출의 결과입니다: 계층이 첫 호출에서 계산한 값을 그대로 가지고 있습니다 "
     "(예: `if self.mask is None: ...`). forward는 입력이 새로 들어올 때마다 필요한 값을 다시 저장해야 합니다",
     "1回目の呼び出しの結果です: レイヤが1回目に計算した値を持ち続けています"
     "（例: `if self.mask is None: ...`）。forwardは新しい入力のたびに必要な値を保存し直す必要があります"),
    ("Sigmoid.forward gives nan at x = {where} (expected values between 0 and 1)",
     "Sigmoid.forward가 x = {where}에서 nan을 냅니다 (0과 1 사이의 값이어야 합니다)",
     "Sigmoid.forwardがx = {where}でnanを返します（0と1の間の値になるはずです）"),
    ("at large positive x, np.exp(x) is inf and a form like np.exp(x) / (1 + np.exp(x)) gives inf / inf = nan; "
     "the book's 1 / (1 + np.exp(-x)) gives 1.0",
     "x가 큰 양수이면 np.exp(x)가 inf가 되어 np.exp(x) / (1 + np.exp(x)) 같은 식은 inf / inf = nan이 됩니다. "
     "책의 1 / (1 + np.exp(-x))는 1.0이 됩니다",
     "xが大きな正の数だとnp.exp(x)がinfになり、np.exp(x) / (1 + np.exp(x))のような式はinf / inf = nanになります。"
     "本書の1 / (1 + np.exp(-x))なら1.0になります"),
    ("Sigmoid.forward at -1000, 1000, -40, 40", "Sigmoid.forward (입력 -1000, 1000, -40, 40에서)",
     "Sigmoid.forward（入力-1000, 1000, -40, 40で）"),
    ("Sigmoid dx at -1000, 1000, -40, 40 (saturated: ~0)", "Sigmoid dx (입력 -1000, 1000, -40, 40: 포화되어 거의 0)",
     "Sigmoid dx（入力-1000, 1000, -40, 40: 飽和してほぼ0）"),
    ("it is the gradient divided by dout: the chain rule multiplies, dx = dout * (y - t) / N",
     "기울기를 dout으로 나눈 값입니다: 연쇄법칙에서는 곱합니다. dx = dout * (y - t) / N",
     "勾配をdoutで割った値です: 連鎖律では掛けます。dx = dout * (y - t) / N"),
    ("{subject} with labels t of shape {lshape}", "{subject} (형상 {lshape}인 정답 레이블 t)",
     "{subject}（形状{lshape}の正解ラベルt）"),
    ("{subject} with labels t of shape {lshape} (vs its own forward)",
     "{subject} (형상 {lshape}인 정답 레이블 t, 자신의 forward와 비교)",
     "{subject}（形状{lshape}の正解ラベルt、自身のforwardと比較）"),
    ("SoftmaxWithLoss.backward with labels t of shape {lshape} raised {error} (its forward took the labels: "
     "the label branch fails)",
     "형상 {lshape}인 정답 레이블 t로 SoftmaxWithLoss.backward를 호출하자 오류가 났습니다: {error} "
     "(forward는 레이블을 받았으니 레이블을 처리하는 부분이 실패한 것입니다)",
     "形状{lshape}の正解ラベルtでSoftmaxWithLoss.backwardを呼ぶとエラーになりました: {error}"
     "（forwardはラベルを受け取ったので、ラベルを扱う部分が失敗しています）"),
    ("SoftmaxWithLoss.backward with labels t of shape {lshape}, logits +-1e4 raised {error} (its forward took the "
     "labels: the label branch fails)",
     "형상 {lshape}인 정답 레이블 t(점수 +-1e4)로 SoftmaxWithLoss.backward를 호출하자 오류가 났습니다: {error} "
     "(forward는 레이블을 받았으니 레이블을 처리하는 부분이 실패한 것입니다)",
     "形状{lshape}の正解ラベルt（スコア+-1e4）でSoftmaxWithLoss.backwardを呼ぶとエラーになりました: {error}"
     "（forwardはラベルを受け取ったので、ラベルを扱う部分が失敗しています）"),
    ("it builds one-hot rows of {k} classes from the labels; the scores have C = {c}: take the number of classes "
     "from the scores, self.y.shape[1]",
     "레이블로부터 클래스가 {k}개인 원-핫 행을 만들었지만 점수의 클래스 수는 C = {c}입니다: 클래스 수는 "
     "점수에서 가져오세요. self.y.shape[1]",
     "ラベルからクラス数{k}のone-hotの行を作っていますが、スコアのクラス数はC = {c}です: クラス数はスコアから"
     "取ってください。self.y.shape[1]"),
    ("it adds 1 at each row's label instead of subtracting it: the label branch is dx[np.arange(N), t] -= 1",
     "각 행의 정답 위치에서 1을 빼야 하는데 더했습니다: 레이블 처리는 dx[np.arange(N), t] -= 1입니다",
     "各行の正解の位置で1を引くところを足しています: ラベルの処理はdx[np.arange(N), t] -= 1です"),
    ("it is N = {n} times the right gradient: the label branch does not divide by the batch size, "
     "dx = dx / batch_size",
     "정답 기울기의 N = {n}배입니다: 레이블을 처리하는 부분에서 배치 크기로 나누지 않았습니다. "
     "dx = dx / batch_size",
     "正しい勾配のN = {n}倍です: ラベルを扱う部分でバッチサイズで割っていません。dx = dx / batch_size"),
    ("backward changed the caller's dout, and not as the book's dout[self.mask] = 0 does: compute dx in a copy, "
     "dx = dout.copy(), then dx[self.mask] = 0",
     "backward가 호출한 쪽의 dout을 책의 dout[self.mask] = 0과는 다른 방식으로 바꿨습니다: 복사본에서 dx를 "
     "계산하세요. dx = dout.copy() 다음에 dx[self.mask] = 0",
     "backwardが呼び出し側のdoutを、本書のdout[self.mask] = 0とは違う形で書き換えています: コピーでdxを計算して"
     "ください。dx = dout.copy()としてからdx[self.mask] = 0"),
    ("it is the right gradient times the loss ({loss}): backprop starts from dout = 1, "
     "dout = self.lastLayer.backward(1)",
     "올바른 기울기에 손실({loss})을 곱한 값입니다: 역전파는 dout = 1에서 시작합니다. "
     "dout = self.lastLayer.backward(1)",
     "正しい勾配に損失（{loss}）を掛けた値です: 逆伝播はdout = 1から始めます。dout = self.lastLayer.backward(1)"),
    ("centred difference of net.loss", "net.loss의 중심 차분", "net.lossの中心差分"),
    ("bad input", "잘못된 입력", "不正な入力"),
    ("TwoLayerNet.predict of images of shape {shape}", "형상 {shape}인 이미지에 대한 TwoLayerNet.predict",
     "形状{shape}の画像に対するTwoLayerNet.predict"),
    ("{ex}: backward before forward", "{ex}: forward 전에 backward 호출", "{ex}: forwardより先にbackwardを呼び出し"),
    ("dx = dout * (t - y) / N: the sign is flipped, it is (y - t)",
     "dx = dout * (t - y) / N으로 계산했습니다: 부호가 반대입니다. (y - t)가 맞습니다",
     "dx = dout * (t - y) / Nになっています: 符号が逆です。正しくは(y - t)です"),
    ("it subtracts one maximum for the whole batch (np.max(x)): a row whose scores are far below it "
     "underflows to 0 / 0; subtract each row's own maximum, np.max(x, axis=-1, keepdims=True)",
     "배치 전체에서 최댓값 하나(np.max(x))를 뺐습니다: 점수가 그보다 훨씬 작은 행은 언더플로해서 0 / 0이 "
     "됩니다. 각 행의 최댓값 np.max(x, axis=-1, keepdims=True)를 빼세요",
     "バッチ全体で1つの最大値（np.max(x)）を引いています: スコアがそれよりずっと小さい行はアンダーフローして"
     "0 / 0になります。各行の最大値np.max(x, axis=-1, keepdims=True)を引いてください"),
    ("it is the sum over the batch: divide by the batch size N",
     "배치 전체의 합입니다: 배치 크기 N으로 나누세요",
     "バッチ全体の総和になっています: バッチサイズNで割ってください"),
    ("restore x[idx] = tmp_val, not x[idx] += h", "x[idx] += h가 아니라 x[idx] = tmp_val로 원래 값을 되돌리세요",
     "x[idx] += hではなく、x[idx] = tmp_valで元の値に戻してください"),
    ("after f(x - h), put the original value back: x[idx] = tmp_val (x must be restored exactly)",
     "f(x - h)를 계산한 뒤 원래 값을 되돌려 놓으세요: x[idx] = tmp_val (x는 정확히 원래대로 돌아와야 합니다)",
     "f(x - h)の後で元の値に戻してください: x[idx] = tmp_val（xは正確に元どおりにする必要があります）"),
    ("it matches the forward difference (f(x+h) - f(x)) / h: use the centred difference "
     "(f(x+h) - f(x-h)) / (2*h), whose error is h times smaller",
     "전방 차분 (f(x+h) - f(x)) / h와 일치합니다: 중심 차분 (f(x+h) - f(x-h)) / (2*h)를 쓰세요. "
     "오차가 h배만큼 작습니다",
     "前方差分(f(x+h) - f(x)) / hと一致します: 中心差分(f(x+h) - f(x-h)) / (2*h)を使ってください。"
     "誤差がh倍小さくなります"),
    ("it is the gradient times {h}**2: / 2*h multiplies by h (Python reads it as (... / 2) * h); write / (2*h)",
     "기울기에 {h}**2를 곱한 값입니다: / 2*h는 h를 곱합니다 (Python은 (... / 2) * h로 읽습니다). "
     "/ (2*h)로 쓰세요",
     "勾配に{h}**2を掛けた値です: / 2*hはhを掛けることになります（Pythonは(... / 2) * hと読みます）。"
     "/ (2*h)と書いてください"),
    ("train_step replaced network.params['{key}'] with a new array; the Affine layer still holds the old one, "
     "so the network never changes",
     "train_step에서 network.params['{key}']에 새 배열을 대입했습니다. Affine 계층은 여전히 예전 배열을 "
     "가지고 있으므로 신경망은 전혀 바뀌지 않습니다",
     "train_stepでnetwork.params['{key}']を新しい配列に置き換えました。Affineレイヤは古い配列を持ったままなので、"
     "ニューラルネットワークは何も変わりません"),
    ("update in place, network.params['{key}'] -= learning_rate * grad['{key}']",
     "제자리에서(in-place) 갱신하세요: network.params['{key}'] -= learning_rate * grad['{key}']",
     "その場で（in-place）更新してください: network.params['{key}'] -= learning_rate * grad['{key}']"),
    ("it is params + lr * grad: the step goes uphill; SGD subtracts, "
     "network.params['{key}'] -= learning_rate * grad['{key}']",
     "값이 params + lr * grad입니다: 손실이 커지는 쪽(오르막)으로 갔습니다. SGD는 기울기를 뺍니다. "
     "network.params['{key}'] -= learning_rate * grad['{key}']",
     "params + lr * gradになっています: 損失が増える方向（坂の上）へ進んでいます。SGDでは勾配を引きます。"
     "network.params['{key}'] -= learning_rate * grad['{key}']"),
    ("train_step returned {loss}, expected the batch loss as a number",
     "train_step의 반환값이 {loss}입니다: 배치의 손실을 숫자로 반환해야 합니다",
     "train_stepが{loss}を返しました: バッチの損失を数値で返す必要があります"),
    ("return network.lastLayer.loss (before the update) or network.loss(x_batch, t_batch) "
     "(after it, as the book's loop computes it)",
     "network.lastLayer.loss(갱신 전) 또는 network.loss(x_batch, t_batch)(갱신 후, 책의 학습 루프와 같음)를 "
     "반환하세요",
     "network.lastLayer.loss（更新前）か、network.loss(x_batch, t_batch)（更新後。本書の学習ループと同じ）を"
     "返してください"),
    ("train_step returned {loss}: neither the batch loss before the update ({before}) nor after it ({after})",
     "train_step의 반환값이 {loss}입니다: 갱신 전 배치 손실({before})도, 갱신 후 손실({after})도 아닙니다",
     "train_stepが{loss}を返しました: 更新前のバッチの損失（{before}）でも、更新後の損失（{after}）でもありません"),
    ("train_step: the loss did not decrease after one step with lr = {lr} (before {before}, after {after})",
     "train_step: lr = {lr}에서 한 번 갱신했는데 손실이 줄지 않았습니다 (갱신 전 {before}, 갱신 후 {after})",
     "train_step: lr = {lr}で1回更新しても損失が減りませんでした（更新前{before}、更新後{after}）"),
    # names of checked values that are more than an identifier
    ("{base} (vs its own forward)", "{base} (자신의 forward와 비교)", "{base}（自身のforwardと比較）"),
    ("SoftmaxWithLoss.forward (loss)", "SoftmaxWithLoss.forward (손실)", "SoftmaxWithLoss.forward（損失）"),
    ("Relu.forward at 0", "Relu.forward (입력 0에서)", "Relu.forward（入力0で）"),
    ("Relu dx at -1, 0, 2", "Relu dx (입력 -1, 0, 2에서)", "Relu dx（入力-1, 0, 2で）"),
    ("params['{key}'] after one step", "한 번 갱신한 뒤의 params['{key}']", "1回更新した後のparams['{key}']"),

    # ---- the other test modules: their own messages, the names and references they give the checks
    ("params['{key}'] is a new array: update it in place (-=), the Affine layers hold the old one",
     "params['{key}']가 새 배열입니다: 제자리에서(-=) 갱신하세요. Affine 계층은 예전 배열을 가지고 있습니다",
     "params['{key}']が新しい配列になっています: その場で（-=）更新してください。"
     "Affineレイヤは古い配列を持ったままです"),
    ("params['{key}'] after one step is not params - lr * grad",
     "한 번 갱신한 뒤의 params['{key}']가 params - lr * grad가 아닙니다",
     "1回更新した後のparams['{key}']がparams - lr * gradになっていません"),
    ("train_step should return the loss as a number, got {kind}",
     "train_step은 손실을 숫자로 반환해야 합니다 (반환값의 형: {kind})",
     "train_stepは損失を数値で返す必要があります（返ってきた型: {kind}）"),
    ("mean |backprop - numerical| above {bound} for {keys}; all: {diffs}",
     "|역전파 - 수치 미분|의 평균이 {bound}보다 큰 매개변수: {keys}; 전체: {diffs}",
     "|逆伝播 - 数値微分|の平均が{bound}を超えるパラメータ: {keys}; 全体: {diffs}"),
    ("{key} was replaced by a new array", "{key}: 새 배열로 바뀌었습니다 (제자리에서 갱신해야 합니다)",
     "{key}が新しい配列に置き換えられました（その場で更新する必要があります）"),
    ("expected the lines W1:<float> b1:<float> W2:<float> b2:<float>, got {lines}",
     "W1:<float> b1:<float> W2:<float> b2:<float> 형식의 줄이 나와야 하는데, 출력은 {lines}입니다",
     "W1:<float> b1:<float> W2:<float> b2:<float>の形式の行が必要ですが、出力は{lines}でした"),
    ("Sigmoid.forward([-1000, 1000]) gave {got}, expected [0.0, 1.0]",
     "Sigmoid.forward([-1000, 1000])의 결과가 {got}입니다. 정답은 [0.0, 1.0]",
     "Sigmoid.forward([-1000, 1000])の結果が{got}ですが、正解は[0.0, 1.0]です"),
    ("gradient() returned the keys {keys}, expected {expected} (one gradient per parameter)",
     "gradient()가 반환한 키는 {keys}인데, {expected}여야 합니다 (매개변수마다 기울기 하나)",
     "gradient()が返したキーは{keys}ですが、{expected}のはずです（パラメータごとに勾配が1つ）"),
    ("that is {other}'s shape; check which layer's dW or db each key takes",
     "{other}의 형상입니다: 각 키에 어느 계층의 dW나 db를 넣었는지 확인하세요",
     "{other}の形状です: 各キーにどのレイヤのdWやdbを入れたか確認してください"),
    ("grads['{key}'] has shape {shape}, expected {g_shape}",
     "grads['{key}']의 형상이 {shape}인데, {g_shape}여야 합니다",
     "grads['{key}']の形状が{shape}ですが、{g_shape}のはずです"),
    ("softmax must keep the order of the scores", "softmax는 점수의 대소 순서를 그대로 유지해야 합니다",
     "softmaxはスコアの大小の順序を保つ必要があります"),
    ("python {name} did not print the book's line {line}; it printed:",
     "python {name}이(가) 책의 줄 {line}을(를) 출력하지 않았습니다. 출력한 내용:",
     "python {name}が本書の行{line}を出力しませんでした。出力された内容:"),
    ("python {name} failed (exit {code}):", "python {name} 실행이 실패했습니다 (종료 코드 {code}):",
     "python {name}の実行に失敗しました（終了コード{code}）:"),
    ("book's dB = [5, 7, 9]", "책에 나온 dB = [5, 7, 9]", "本書のdB = [5, 7, 9]"),
    ("book's gradient", "책에 나온 기울기", "本書の勾配"),
    ("analytic 2x", "해석적으로 구한 2x", "解析的に求めた2x"),
    ("gradient with one-hot targets", "정답 레이블이 원-핫일 때의 기울기", "正解ラベルがone-hotのときの勾配"),
    ("centred difference of net.loss, h = {h}", "net.loss의 중심 차분 (h = {h})", "net.lossの中心差分（h = {h}）"),
    ("Affine db for dY = {dy}", "dY = {dy}일 때의 Affine db", "dY = {dy}のときのAffine db"),
    ("Sigmoid dx at +-1000, +-40 (saturated: ~0)", "Sigmoid dx (입력 +-1000, +-40: 포화되어 거의 0)",
     "Sigmoid dx（入力+-1000, +-40: 飽和してほぼ0）"),
    ("SoftmaxWithLoss loss of logits +-1e4", "점수 +-1e4에서의 SoftmaxWithLoss 손실",
     "スコア+-1e4でのSoftmaxWithLossの損失"),
    ("SoftmaxWithLoss dx, logits +-1e4", "SoftmaxWithLoss dx (점수 +-1e4)", "SoftmaxWithLoss dx（スコア+-1e4）"),
    ("softmax of logits +-1e4", "점수 +-1e4에서의 softmax", "スコア+-1e4でのsoftmax"),
    ("softmax of logits +-1e4, one row", "점수 +-1e4에서의 softmax, 한 행", "スコア+-1e4でのsoftmax、1行"),
    ("softmax of large scores", "큰 점수에서의 softmax", "大きなスコアでのsoftmax"),
    ("softmax row sums", "softmax 각 행의 합", "softmaxの各行の和"),
    ("softmax(x) for x of shape (3,)", "형상 (3,)인 x에 대한 softmax(x)", "形状(3,)のxに対するsoftmax(x)"),
    ("cross_entropy_error of one sample", "샘플 하나의 cross_entropy_error", "1サンプルのcross_entropy_error"),
    ("cross_entropy_error with y[correct] == 0", "y[correct] == 0일 때의 cross_entropy_error",
     "y[correct] == 0のときのcross_entropy_error"),
    ("{base}, labels vs one-hot (N == C)", "{base} (정답 레이블과 원-핫 비교, N == C)",
     "{base}（ラベルとone-hotの比較、N == C）"),
    ("SoftmaxWithLoss dx vs the book's loss", "SoftmaxWithLoss dx (책의 손실 함수와 비교)",
     "SoftmaxWithLoss dx（本書の損失関数との比較）"),
    ("loss with {targets}", "t가 {targets} 형식일 때의 손실", "tが{targets}形式のときの損失"),
    ("predict after b2[1] += 2.5", "b2[1] += 2.5 후의 predict", "b2[1] += 2.5の後のpredict"),
    ("predict of (N,1,4,4) vs of (N,16)", "(N,1,4,4) 입력과 (N,16) 입력의 predict 비교",
     "(N,1,4,4)と(N,16)の入力でのpredictの比較"),
    # numpy.testing's report (assert_allclose, assert_array_equal)
    ("Not equal to tolerance rtol={rtol}, atol={atol}", "허용 오차(rtol={rtol}, atol={atol}) 안에서 같지 않습니다",
     "許容誤差（rtol={rtol}, atol={atol}）の範囲で一致しません"),
    ("Arrays are not equal", "배열이 같지 않습니다", "配列が一致しません"),
    ("Mismatched elements: {bad} / {size} ({pct})", "일치하지 않는 원소: {bad} / {size} ({pct})",
     "一致しない要素: {bad} / {size}（{pct}）"),
    ("Mismatch at indices:", "일치하지 않는 위치:", "一致しない位置:"),
    ("Mismatch at index:", "일치하지 않는 위치:", "一致しない位置:"),
    ("{idx}: {got} (ACTUAL), {expected} (DESIRED)", "{idx}: 계산값 {got}, 정답 {expected}",
     "{idx}: 計算値{got}、正解{expected}"),
    ("Max absolute difference among violations: {diff}", "어긋난 원소의 최대 절대 오차: {diff}",
     "ずれた要素の最大絶対誤差: {diff}"),
    ("Max relative difference among violations: {diff}", "어긋난 원소의 최대 상대 오차: {diff}",
     "ずれた要素の最大相対誤差: {diff}"),
    ("ACTUAL: {value}", "계산값: {value}", "計算値: {value}"),
    ("DESIRED: {value}", "정답: {value}", "正解: {value}"),
    ("(shapes {shape}, {g_shape} mismatch)", "(형상이 다릅니다: {shape}, {g_shape})",
     "（形状が違います: {shape}、{g_shape}）"),

    # ---- the kata plugin (kata/pytest_plugin.py) and the stubs (kata/stubs.py)
    ("expected a {exc_name} (a clear error for this bad input), but nothing was raised: your code went on with it",
     "이 잘못된 입력에는 명확한 오류({exc_name})가 나야 하는데, 아무 예외도 없이 코드가 그대로 실행되었습니다",
     "この不正な入力には明確なエラー（{exc_name}）が出るはずですが、何も送出されずにコードがそのまま進みました"),
    ("self.{attr} does not exist on {cls}: forward must store it (self.{attr} = ...) before backward reads it",
     "{cls} 객체에 self.{attr} 속성이 없습니다: backward가 읽기 전에 forward에서 저장해 두어야 합니다 "
     "(self.{attr} = ...)",
     "{cls}にself.{attr}がありません: backwardが読む前に、forwardで保存しておく必要があります（self.{attr} = ...）"),
    ("self.{attr} is still None on this line: forward must store it (self.{attr} = ...) before backward reads it",
     "이 줄에서 self.{attr}가 아직 None입니다: backward가 읽기 전에 forward에서 저장해 두어야 합니다 "
     "(self.{attr} = ...)",
     "この行でself.{attr}がまだNoneです: backwardが読む前に、forwardで保存しておく必要があります"
     "（self.{attr} = ...）"),
    ("something on this line is None where a value with .{attr} was expected: did forward store it on self "
     "(backward sees only what forward kept)?",
     "이 줄에서 .{attr}를 가진 값이어야 할 것이 None입니다: forward에서 self에 저장했나요? "
     "(backward는 forward가 남겨 둔 것만 볼 수 있습니다)",
     "この行で.{attr}を持つはずの値がNoneです: forwardでselfに保存しましたか？"
     "（backwardから見えるのは、forwardが残したものだけです）"),
    ("your function returned None here: is a `return` missing at its end?",
     "여러분의 함수가 여기서 None을 반환했습니다: 함수 끝의 `return`을 빠뜨리지 않았나요?",
     "あなたの関数がここでNoneを返しました: 関数の最後の`return`を忘れていませんか？"),
    ("{text} ... ({n} more characters)", "{text} ... (이하 {n}자 생략)", "{text} ...（残りの{n}文字は省略）"),
    ("one of {attrs} is still None on this line: did forward store it "
     "(backward sees only what forward kept on self)?",
     "이 줄에서 {attrs} 중 하나가 아직 None입니다: forward에서 저장했나요? "
     "(backward는 forward가 self에 남겨 둔 것만 볼 수 있습니다)",
     "この行で{attrs}のどれかがまだNoneです: forwardで保存しましたか？"
     "（backwardから見えるのは、forwardがselfに残したものだけです）"),
    ("the arrays' shapes do not fit on this line: print their .shape here; "
     "e.g. np.dot needs (N, D) and (D, M), a gradient has the shape of what it differentiates",
     "이 줄에서 배열들의 형상이 맞지 않습니다: 여기서 각 배열의 .shape를 출력해 보세요. "
     "예를 들어 np.dot에는 (N, D)와 (D, M)이 필요하고, 기울기는 미분하는 대상과 형상이 같습니다",
     "この行で配列の形状が合っていません: ここでそれぞれの.shapeを表示してみてください。"
     "たとえばnp.dotには(N, D)と(D, M)が必要で、勾配は微分する対象と同じ形状です"),
    ("{file} ended the program while it was imported ({call} on line {n}): the tests cannot use it; "
     "remove the call, or put it under `if __name__ == \"__main__\":`",
     "{file}이(가) import되는 동안 프로그램을 끝냈습니다 ({n}번째 줄의 {call}). 테스트가 이 파일을 쓸 수 "
     "없습니다. 그 호출을 지우거나 `if __name__ == \"__main__\":` 아래로 옮기세요",
     "{file}がimportされる途中でプログラムを終了しました（{n}行目の{call}）。テストがこのファイルを使えません。"
     "その呼び出しを消すか、`if __name__ == \"__main__\":`の下に移してください"),
    ("... ({n} more lines)", "... (이하 {n}줄 생략)", "...（以下{n}行省略）"),
    # ---- the graphs' error edges (kata/graph.py): what a layer returned or raised there
    ("{gcall} returned None", "{gcall}이(가) None을 반환했습니다", "{gcall}がNoneを返しました"),
    ("{gcall} returned {kind}, not a number or array", "{gcall}이(가) 숫자나 배열이 아닌 {kind}을(를) 반환했습니다",
     "{gcall}が数値でも配列でもない{kind}を返しました"),
    ("{gcall}: wrong shape {shape}, expected {g_shape}", "{gcall}: 형상이 {shape}인데, {g_shape}여야 합니다",
     "{gcall}: 形状が{shape}ですが、{g_shape}のはずです"),
    ("{gcall} returned {kind}, expected the pair (dx, dy)",
     "{gcall}이(가) {kind}을(를) 반환했습니다: (dx, dy) 쌍이어야 합니다",
     "{gcall}が{kind}を返しました: (dx, dy)の組になるはずです"),
    ("self.{attr} is None after backward()", "backward() 후에도 self.{attr}가 None입니다",
     "backward()の後もself.{attr}がNoneです"),
    ("{gcall}: {pyerror}", "{gcall}: 오류 `{pyerror}`", "{gcall}: エラー `{pyerror}`"),
    ("{exc}{ex} {qualname}: not implemented yet — run `make hint`",
     "{exc}{ex} {qualname}: 아직 구현되지 않았습니다. `make hint`를 실행해 보세요",
     "{exc}{ex} {qualname}: まだ実装されていません。`make hint`を実行してみてください"),
]

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(template):
    return set(PLACEHOLDER.findall(template))


def _compile(english):
    """The English template as a regex: literal text escaped, each {name} a named group."""
    parts, seen, at = [], set(), 0
    for m in PLACEHOLDER.finditer(english):
        name = m.group(1)
        parts.append(re.escape(english[at:m.start()]))
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{GROUPS.get(name, '.+?')})")
        seen.add(name)
        at = m.end()
    parts.append(re.escape(english[at:]))
    return re.compile("".join(parts))


COMPILED = [(_compile(en), {"ko": ko, "ja": ja}) for en, ko, ja in TEMPLATES]


# A line that is Python's own report of an exception ("TypeError: unsupported operand ..."): no template
# can know every such sentence, so the screen shows it quoted as code, Python's words as Python wrote them.
PYTHON_ERROR = re.compile(r"(?:[A-Z]\w*(?:Error|Exception|Warning)|Exception)(?:: .*)?")


def _line(text, code):
    body = text.lstrip()
    indent = text[:len(text) - len(body)]
    for regex, target in COMPILED:
        m = regex.fullmatch(body)
        if m:
            values = {k: _line(v, code) if k in SENTENCES else v for k, v in m.groupdict().items()}
            return indent + target[code].format(**values)
    if PYTHON_ERROR.fullmatch(body) and "`" not in body:
        return f"{indent}Python: `{body}`"
    return text


def translate(text: str, code: str) -> str:
    """`text` (one or more lines written in English by the tests) in language `code`; "en" unchanged."""
    if code not in ("ko", "ja") or not text:
        return text
    return "\n".join(_line(line, code) for line in text.split("\n"))

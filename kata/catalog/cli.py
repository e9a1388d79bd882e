"""Messages of the command line itself: help texts, set-up, missing packages.

Each entry: key -> (English, Korean, Japanese). Placeholders in braces are the same in every
language; commands, paths and option names stay exactly as typed.
"""

MESSAGES = {
    # --- help of `python -m kata` ----------------------------------------------------------
    "cli_description": (
        "The kata of Chapter 5 (backpropagation) of Deep Learning from Scratch: write the chapter's\n"
        "layers yourself and let the tests say, exercise by exercise, what is done and what is not.\n"
        "Every `make` target of the kata, without make (works on Windows too).",
        "『밑바닥부터 시작하는 딥러닝』 5장(오차역전파법)의 카타: 5장의 계층을 직접 구현하면\n"
        "테스트가 연습마다 무엇이 끝났고 무엇이 남았는지 알려 줍니다.\n"
        "카타의 모든 `make` 타깃을 make 없이 실행합니다 (Windows에서도 동작).",
        "『ゼロから作る Deep Learning』第5章（誤差逆伝播法）のカタ：この章のレイヤを自分で実装すると、\n"
        "テストが演習ごとに何ができて何が残っているかを教えてくれます。\n"
        "カタの `make` ターゲットはすべて make なしでも実行できます（Windows でも動きます）。"),
    "cli_epilog": (
        "Language of the screens: --lang en|ko|ja, else KATA_LANG, else the locale (LANG, e.g. ko_KR.UTF-8),\n"
        "else English. First time here? python -m kata setup",
        "화면 언어: --lang en|ko|ja, 없으면 KATA_LANG, 그다음 로캘(LANG, 예: ko_KR.UTF-8),\n"
        "그것도 없으면 영어. 처음이라면: python -m kata setup",
        "画面の言語：--lang en|ko|ja、なければ KATA_LANG、次にロケール（LANG、例：ja_JP.UTF-8）、\n"
        "それもなければ英語。はじめての方は：python -m kata setup"),
    "cli_commands": ("commands", "명령", "コマンド"),
    "opt_lang": (
        "language of the screens and hints: en, ko or ja (default: KATA_LANG, else the locale)",
        "화면과 힌트의 언어: en, ko, ja (기본값: KATA_LANG, 없으면 로캘)",
        "画面とヒントの言語：en、ko、ja（既定：KATA_LANG、なければロケール）"),
    "bad_lang": (
        "unknown language '{code}': choose en (English), ko (한국어) or ja (日本語)",
        "알 수 없는 언어 '{code}': en (English), ko (한국어), ja (日本語) 중에서 고르세요",
        "未対応の言語 '{code}'：en (English)、ko (한국어)、ja (日本語) のいずれかを指定してください"),
    "opt_workspace": (
        "your folder of exercises (default: workspace/, or . in an exported repository)",
        "연습 파일이 있는 폴더 (기본값: workspace/, 내보낸 저장소에서는 .)",
        "演習ファイルのフォルダ（既定：workspace/、エクスポートしたリポジトリでは .）"),
    "cmd_setup": (
        "set everything up with Python alone: the venv, the pinned packages, MNIST (make venv data)",
        "Python만으로 전부 준비: 가상환경, 고정된 패키지, MNIST (make venv data)",
        "Python だけで準備一式：仮想環境、固定バージョンのパッケージ、MNIST（make venv data）"),
    "opt_venv": (
        "folder of the virtual environment (default: .venv next to requirements.txt)",
        "가상환경 폴더 (기본값: requirements.txt 옆의 .venv)",
        "仮想環境のフォルダ（既定：requirements.txt と同じ場所の .venv）"),
    "opt_no_data": (
        "do not fetch MNIST now (the training exercise needs it later: python mnist.py)",
        "지금은 MNIST를 받지 않음 (나중에 학습 연습에 필요: python mnist.py)",
        "MNIST を今は取得しない（あとで学習の演習に必要：python mnist.py）"),
    "opt_dry_run": (
        "only print what would be done",
        "실행하지 않고 할 일만 출력",
        "実行せず、行う手順だけを表示"),
    "cmd_init": (
        "create workspace/ with the stubs to fill in (make kata)",
        "채워 넣을 스텁이 든 workspace/ 만들기 (make kata)",
        "埋めていくスタブの入った workspace/ を作る（make kata）"),
    "opt_accept_tests": (
        "only re-record the tests' fingerprints after an intentional update",
        "의도한 업데이트 뒤에 테스트의 지문만 다시 기록",
        "意図した更新のあとで、テストの指紋だけを記録し直す"),
    "cmd_check": (
        "run the exercises in book order and show the next one (make check)",
        "책 순서대로 연습을 확인하고 다음 연습을 보여 줌 (make check)",
        "本の順に演習を確認し、次の演習を示す（make check）"),
    "arg_check_exercise": (
        "only this exercise (and the ones it builds on), e.g. 5.6.2",
        "이 연습만 (그리고 이 연습에 필요한 앞의 연습), 예: 5.6.2",
        "この演習だけ（とその前提となる演習）、例：5.6.2"),
    "opt_fast": (
        "leave out the slow tests (the MNIST training)",
        "느린 테스트(MNIST 학습)는 건너뜀",
        "時間のかかるテスト（MNIST の学習）を省く"),
    "opt_strict": (
        "the notes (what the reference does beyond the book) are required too (or KATA_STRICT=1)",
        "참고 사항(참고 구현이 책의 코드보다 더 하는 일)까지 요구 (또는 KATA_STRICT=1)",
        "補足（参考実装が本のコードより多く行っていること）も必須にする（または KATA_STRICT=1）"),
    "opt_fresh": (
        "forget the remembered results and run every exercise (what CI does)",
        "기억된 결과를 지우고 모든 연습을 실행 (CI가 하는 방식)",
        "記憶した結果を使わず、すべての演習を実行する（CI と同じ）"),
    "cmd_hint": (
        "show the next hint level for the current exercise (make hint)",
        "현재 연습의 다음 단계 힌트 보기 (make hint)",
        "いまの演習の次の段階のヒントを見る（make hint）"),
    "arg_hint_exercise": (
        "another exercise than the current one, e.g. 5.6.2",
        "현재 연습이 아닌 다른 연습, 예: 5.6.2",
        "いまの演習以外の演習、例：5.6.2"),
    "cmd_watch": (
        "re-run check every time you save a file (make watch; Ctrl-C stops)",
        "파일을 저장할 때마다 check 다시 실행 (make watch; Ctrl-C로 멈춤)",
        "ファイルを保存するたびに check を実行し直す（make watch、Ctrl-C で停止）"),
    "opt_interval": (
        "seconds between two looks at the files",
        "파일을 살펴보는 간격(초)",
        "ファイルを確認する間隔（秒）"),
    "bad_interval": (
        "'{value}' is not a number of seconds of at least {min}: e.g. --interval 0.5",
        "'{value}'은(는) {min} 이상의 초 단위 숫자가 아닙니다. 예: --interval 0.5",
        "'{value}'は{min}以上の秒数ではありません。例: --interval 0.5"),
    "graph_deadline_where": (
        "Timed out: the graph ({name}) was stopped after {secs} s in your {layer} ({where}, exercise {id}): "
        "an endless loop?",
        "시간 초과: {secs}초가 지나 여러분의 {layer} ({where}, 연습 {id})에서 그래프 ({name}) 그리기를 "
        "멈췄습니다. 끝나지 않는 반복문이 있나요?",
        "時間切れ: {secs}秒経ったので、あなたの{layer}（{where}、演習{id}）でグラフ（{name}）の描画を"
        "止めました。無限ループになっていませんか？"),
    "graph_deadline": (
        "Timed out: the graph ({name}) was stopped after {secs} s (no line of your code was running).",
        "시간 초과: {secs}초가 지나 그래프 ({name}) 그리기를 멈췄습니다 (그때 여러분의 코드는 실행 중이 "
        "아니었습니다).",
        "時間切れ: {secs}秒経ったのでグラフ（{name}）の描画を止めました（そのときあなたのコードは実行中では"
        "ありませんでした）。"),
    "opt_watch_all": (
        "include the slow tests",
        "느린 테스트도 포함",
        "時間のかかるテストも含める"),
    "cmd_reset": (
        "put back one exercise's stubs; your file is backed up first (make kata-reset EX=...)",
        "한 연습의 스텁만 되돌림; 여러분의 파일은 먼저 백업 (make kata-reset EX=...)",
        "ひとつの演習のスタブだけを元に戻す。ファイルは先にバックアップ（make kata-reset EX=...）"),
    "arg_reset_exercise": ("the exercise, e.g. 5.6.2", "연습 번호, 예: 5.6.2", "演習の番号、例：5.6.2"),
    "cmd_restore": (
        "list the backups, or restore one by its number (make restore [B=n])",
        "백업 목록 보기, 또는 번호로 하나 복원 (make restore [B=n])",
        "バックアップの一覧、または番号を指定して復元（make restore [B=n]）"),
    "arg_backup": ("the backup's number from the list", "목록에 나온 백업 번호", "一覧に出ているバックアップの番号"),
    "cmd_compare": (
        "once an exercise passes: your functions beside the reference's (make compare)",
        "연습을 통과한 뒤: 여러분의 함수와 참고 구현을 나란히 비교 (make compare)",
        "演習に合格したら：自分の関数と参考実装を並べて比べる（make compare）"),
    "arg_compare_exercise": (
        "the exercise (default: the last one done)",
        "연습 번호 (기본값: 마지막으로 완료한 연습)",
        "演習の番号（既定：最後に完了した演習）"),
    "cmd_export": (
        "write a standalone learner repository without the solutions (make export DIR=...)",
        "정답 없는 학습자용 저장소 만들기 (make export DIR=...)",
        "解答を含まない学習者用リポジトリを書き出す（make export DIR=...）"),
    "arg_export_dir": ("the new folder", "새로 만들 폴더", "新しく作るフォルダ"),
    "cmd_graph": (
        "draw the chapter's computational graphs with your values (make graph)",
        "여러분의 값으로 5장의 계산 그래프 그리기 (make graph)",
        "自分の値で第5章の計算グラフを描く（make graph）"),
    "arg_graph_name": (
        "buy_apple, buy_apple_orange, a layer (MulLayer, ..., SoftmaxWithLoss) or an exercise (5.4.1, ...); "
        "default: all",
        "buy_apple, buy_apple_orange, 계층 이름(MulLayer, ..., SoftmaxWithLoss) 또는 연습 번호(5.4.1, ...); "
        "기본값: 전부",
        "buy_apple、buy_apple_orange、レイヤ名（MulLayer, ..., SoftmaxWithLoss）または演習の番号（5.4.1, ...）。"
        "既定：すべて"),
    "opt_no_png": ("write only the SVG files", "SVG 파일만 만듦", "SVG ファイルだけを書き出す"),
    "cmd_train": (
        "after 5.7.4: train the book's network on MNIST with YOUR workspace's code "
        "(arguments for train_neuralnet.py after --, e.g. -- --iters 2000)",
        "5.7.4 이후: 작업 공간에 있는 여러분의 코드로 책의 신경망을 MNIST로 학습 "
        "(train_neuralnet.py에 줄 인수는 -- 뒤에, 예: -- --iters 2000)",
        "5.7.4 の後に：作業フォルダにある自分のコードで本のネットワークを MNIST で学習する"
        "（train_neuralnet.py への引数は -- の後に。例：-- --iters 2000）"),
    "arg_train_args": (
        "arguments for train_neuralnet.py (see its --help)",
        "train_neuralnet.py에 넘길 인수 (train_neuralnet.py --help 참고)",
        "train_neuralnet.py に渡す引数（train_neuralnet.py --help を参照）"),
    "train_start": (
        "Training with your code: {ws}/train_neuralnet.py, with your two_layer_net.py and layers.py",
        "여러분의 코드로 학습합니다: {ws}/train_neuralnet.py (여러분의 two_layer_net.py와 layers.py 사용)",
        "自分のコードで学習します：{ws}/train_neuralnet.py（自分の two_layer_net.py と layers.py を使用）"),
    "train_plot_backed_up": (
        "the previous run's plot is kept in {path} (this run draws a new train_accuracy.png)",
        "지난 학습의 그래프는 {path}에 보관했습니다 (이번 학습이 train_accuracy.png를 새로 그립니다)",
        "前回の学習のグラフは {path} に保存しました（今回の学習で train_accuracy.png を描き直します）"),
    "train_failed": (
        "Training stopped (exit {code}). If the error is in your code, `make check` says which exercise "
        "is not done yet.",
        "학습이 멈췄습니다 (종료 코드 {code}). 오류가 여러분의 코드에 있다면, 아직 끝나지 않은 연습은 "
        "`make check`가 알려 줍니다.",
        "学習が止まりました（終了コード {code}）。エラーが自分のコードにあるなら、まだ終わっていない演習は "
        "`make check` が教えてくれます。"),
    "cmd_notebook": (
        "write workspace/chapter5.ipynb, the kata in Jupyter/Colab (an existing one is backed up first)",
        "workspace/chapter5.ipynb 만들기: Jupyter/Colab에서 하는 카타 (기존 노트북은 먼저 백업)",
        "workspace/chapter5.ipynb を書き出す：Jupyter/Colab で取り組むカタ（既存のノートブックは先にバックアップ）"),

    # argparse's own words (usage line, headings, usage errors), in the screen's language
    "argparse_usage": ("usage: ", "사용법: ", "使い方: "),
    "argparse_positionals": ("positional arguments", "위치 인자", "位置引数"),
    "argparse_options": ("options", "옵션", "オプション"),
    "argparse_help": ("show this help message and exit", "이 도움말을 보여 주고 끝냄", "このヘルプを表示して終了"),
    "argparse_error": ("%(prog)s: error: %(message)s\n", "%(prog)s: 오류: %(message)s\n",
                       "%(prog)s: エラー: %(message)s\n"),
    "argparse_required": ("the following arguments are required: %s", "다음 인자가 필요합니다: %s",
                          "次の引数が必要です: %s"),
    "argparse_unrecognized": ("unrecognized arguments: %s", "알 수 없는 인자: %s", "認識できない引数: %s"),
    "argparse_choice": ("invalid choice: %(value)r (choose from %(choices)s)",
                        "잘못된 선택: %(value)r (%(choices)s 중에서 고르세요)",
                        "無効な選択: %(value)r（%(choices)s から選んでください）"),
    "argparse_one_arg": ("expected one argument", "인자가 하나 필요합니다", "引数が1つ必要です"),
    "argparse_argument": ("argument %(argument_name)s: %(message)s", "인자 %(argument_name)s: %(message)s",
                          "引数 %(argument_name)s: %(message)s"),
    "argparse_invalid": ("invalid %(type)s value: %(value)r", "잘못된 %(type)s 값: %(value)r",
                         "無効な %(type)s の値: %(value)r"),

    # --- a Python without the packages ------------------------------------------------------
    "missing_packages": (
        "This Python does not have {packages}, which `python -m kata {cmd}` needs:\n"
        "  {python}\n"
        "Set the kata up once (a venv with the pinned packages, and MNIST):\n"
        "  {setup}\n"
        "then run the kata with the venv's Python: {venv_cmd}",
        "이 Python에는 `python -m kata {cmd}`에 필요한 {packages}이(가) 없습니다:\n"
        "  {python}\n"
        "카타를 한 번 준비하세요 (고정된 패키지가 든 가상환경과 MNIST):\n"
        "  {setup}\n"
        "그다음 가상환경의 Python으로 카타를 실행하세요: {venv_cmd}",
        "この Python には `python -m kata {cmd}` に必要な {packages} がありません：\n"
        "  {python}\n"
        "最初に一度だけカタの準備をしてください（固定バージョンのパッケージを入れた仮想環境と MNIST）：\n"
        "  {setup}\n"
        "そのあとは仮想環境の Python でカタを実行します：{venv_cmd}"),
    "missing_packages_venv": (
        "This Python does not have {packages}, which `python -m kata {cmd}` needs:\n"
        "  {python}\n"
        "The kata's venv is ready: run the command with its Python:\n"
        "  {venv_cmd}\n"
        "(or `make {make_target}`; if the venv itself is broken: {setup})",
        "이 Python에는 `python -m kata {cmd}`에 필요한 {packages}이(가) 없습니다:\n"
        "  {python}\n"
        "카타의 가상환경은 준비되어 있습니다. 그 Python으로 실행하세요:\n"
        "  {venv_cmd}\n"
        "(또는 `make {make_target}`; 가상환경이 망가졌다면: {setup})",
        "この Python には `python -m kata {cmd}` に必要な {packages} がありません：\n"
        "  {python}\n"
        "カタの仮想環境はできています。その Python で実行してください：\n"
        "  {venv_cmd}\n"
        "（または `make {make_target}`。仮想環境が壊れている場合は：{setup}）"),

    # --- a learner file that is not UTF-8 ---------------------------------------------------
    "not_utf8": (
        "WARNING: {path}:{line} is not UTF-8 (byte {byte}): save the file as UTF-8 in your editor "
        "(Python reads source files as UTF-8; the kata did not change it).",
        "경고: {path}:{line}이(가) UTF-8이 아닙니다 (바이트 {byte}): 편집기에서 UTF-8로 저장하세요 "
        "(Python은 소스 파일을 UTF-8로 읽습니다; 카타는 파일을 바꾸지 않았습니다).",
        "警告：{path}:{line} が UTF-8 ではありません（バイト {byte}）：エディタで UTF-8 として保存してください"
        "（Python はソースファイルを UTF-8 として読みます。カタはファイルを変更していません）。"),

    # --- python -m kata setup ---------------------------------------------------------------
    "setup_plan": (
        "Set-up plan (--dry-run: nothing is done):",
        "준비 계획 (--dry-run: 아무것도 실행하지 않음):",
        "準備の手順（--dry-run：何も実行しません）："),
    "setup_python_old": (
        "Python {version} is too old for the pinned packages: run the set-up with Python 3.11 or newer "
        "({python}).",
        "Python {version}은(는) 고정된 버전의 패키지를 설치하기에는 너무 오래되었습니다: Python 3.11 "
        "이상으로 준비를 실행하세요 ({python}).",
        "Python {version} は固定バージョンのパッケージには古すぎます：Python 3.11 以降で準備を実行してください"
        "（{python}）。"),
    "setup_venv_create": (
        "[1/3] creating the virtual environment {venv} with {python}",
        "[1/3] {python}(으)로 가상환경 {venv} 만드는 중",
        "[1/3] {python} で仮想環境 {venv} を作成しています"),
    "setup_venv_reuse": (
        "[1/3] the virtual environment {venv} is there and works: reused",
        "[1/3] 가상환경 {venv}이(가) 이미 있고 동작합니다: 그대로 사용",
        "[1/3] 仮想環境 {venv} はすでにあり、動作します：そのまま使います"),
    "setup_venv_recreate": (
        "[1/3] {venv} does not work (its Python does not start): creating it again with {python}",
        "[1/3] {venv}이(가) 동작하지 않습니다 (Python이 실행되지 않음): {python}(으)로 다시 만드는 중",
        "[1/3] {venv} が動作しません（Python が起動しない）：{python} で作り直しています"),
    "setup_venv_not_venv": (
        "{venv} exists but is not a virtual environment (no pyvenv.cfg): nothing was touched. "
        "Choose another folder with --venv DIR, or move it away.",
        "{venv}이(가) 있지만 가상환경이 아닙니다 (pyvenv.cfg 없음): 아무것도 건드리지 않았습니다. "
        "--venv DIR로 다른 폴더를 고르거나 그 폴더를 옮기세요.",
        "{venv} はありますが仮想環境ではありません（pyvenv.cfg がない）：何も変更していません。"
        "--venv DIR で別のフォルダを指定するか、そのフォルダを移動してください。"),
    "setup_install": (
        "[2/3] installing the pinned packages of requirements-kata.txt with {pip} (a few minutes the first time)",
        "[2/3] {pip}(으)로 requirements-kata.txt의 고정된 패키지 설치 중 (처음에는 몇 분 걸림)",
        "[2/3] {pip} で requirements-kata.txt の固定バージョンのパッケージをインストールしています"
        "（初回は数分かかります）"),
    "setup_install_skip": (
        "[2/3] the packages of requirements-kata.txt are installed already ({stamp})",
        "[2/3] requirements-kata.txt의 패키지가 이미 설치되어 있습니다 ({stamp})",
        "[2/3] requirements-kata.txt のパッケージはインストール済みです（{stamp}）"),
    "setup_data": (
        "[3/3] fetching and verifying MNIST ({cmd})",
        "[3/3] MNIST 받아서 검증하는 중 ({cmd})",
        "[3/3] MNIST を取得して検証しています（{cmd}）"),
    "setup_data_skip": (
        "[3/3] MNIST: not now (--no-data); the training exercise needs it: {cmd}",
        "[3/3] MNIST: 지금은 받지 않음 (--no-data); 학습 연습에 필요합니다: {cmd}",
        "[3/3] MNIST：今は取得しません（--no-data）。学習の演習で必要になります：{cmd}"),
    "setup_failed": (
        "Set-up step {step} failed ({what}, exit code {code}); the lines above say why. "
        "Fix that, then run again (the steps already done are kept):\n  {retry}",
        "준비 단계 {step}이(가) 실패했습니다 ({what}, 종료 코드 {code}); 이유는 위의 줄에 있습니다. "
        "그것을 고친 다음 다시 실행하세요 (이미 끝난 단계는 그대로 유지):\n  {retry}",
        "準備の手順 {step} が失敗しました（{what}、終了コード {code}）。理由は上の行にあります。"
        "それを直してからもう一度実行してください（終わった手順はそのまま残ります）：\n  {retry}"),
    "setup_no_venv_module": (
        "This Python cannot create virtual environments (its venv/ensurepip module is missing). "
        "On Debian/Ubuntu: sudo apt install python3-venv (or python3.11-venv); elsewhere use the "
        "installer from python.org.",
        "이 Python은 가상환경을 만들 수 없습니다 (venv/ensurepip 모듈이 없음). Debian/Ubuntu: "
        "sudo apt install python3-venv (또는 python3.11-venv); 그 밖에는 python.org의 설치 프로그램을 "
        "쓰세요.",
        "この Python では仮想環境を作れません（venv/ensurepip モジュールがない）。Debian/Ubuntu では "
        "sudo apt install python3-venv（または python3.11-venv）、それ以外では python.org の"
        "インストーラを使ってください。"),
    "setup_what_venv": ("creating the virtual environment", "가상환경 만들기", "仮想環境の作成"),
    "setup_what_install": ("installing the packages", "패키지 설치", "パッケージのインストール"),
    "setup_what_data": ("fetching MNIST", "MNIST 받기", "MNIST の取得"),
    "setup_done": (
        "Set-up done in {secs} s.",
        "준비가 {secs}초 만에 끝났습니다.",
        "準備が {secs} 秒で完了しました。"),
    "setup_next_init": (
        "Next, create your workspace with the stubs to fill in:\n  {cmd}",
        "다음으로 채워 넣을 스텁이 든 작업 공간을 만드세요:\n  {cmd}",
        "次に、埋めていくスタブの入った作業フォルダを作ります：\n  {cmd}"),
    "setup_next_check": (
        "Next, run the exercises of your workspace:\n  {cmd}",
        "다음으로 작업 공간의 연습을 확인하세요:\n  {cmd}",
        "次に、作業フォルダの演習を確認します：\n  {cmd}"),
    "setup_next_make": (
        "  (or, with make: make {target})",
        "  (make가 있다면: make {target})",
        "  （make があれば：make {target}）"),

    # --- make graph / make export -------------------------------------------------------------
    "graph_unknown": (
        "unknown graph '{name}': expected one of {names}, or an exercise {exercises} (default: all)",
        "알 수 없는 그래프 '{name}': {names} 중 하나, 또는 연습 번호 {exercises} (기본값: 전부)",
        "未知のグラフ '{name}'：{names} のいずれか、または演習の番号 {exercises}（既定：すべて）"),
    "graph_usage": ("usage: python -m kata graph [NAME]", "사용법: python -m kata graph [NAME]",
                    "使い方: python -m kata graph [NAME]"),
    "graph_svg_only": (
        "SVG only: no PNG renderer (on Debian/Ubuntu, `make graph-renderer` installs Chromium)",
        "SVG만 만들었습니다: PNG 렌더러가 없습니다 (Debian/Ubuntu에서는 `make graph-renderer`가 Chromium을 설치)",
        "SVG のみ：PNG レンダラがありません（Debian/Ubuntu では `make graph-renderer` で Chromium をインストール）"),
    "graph_no_png": ("no PNG for {name}: {err}", "{name}의 PNG를 만들지 못했습니다: {err}",
                     "{name} の PNG を作れませんでした：{err}"),
    "export_not_empty": (
        "{dest} exists and is not empty: nothing was written",
        "{dest}이(가) 이미 있고 비어 있지 않습니다: 아무것도 쓰지 않았습니다",
        "{dest} はすでにあり、空ではありません：何も書き出していません"),
    "export_inside": (
        "{dest} is inside the repository; choose a folder outside it",
        "{dest}은(는) 저장소 안에 있습니다; 저장소 밖의 폴더를 고르세요",
        "{dest} はリポジトリの中にあります。リポジトリの外のフォルダを指定してください"),
    "export_leaks": (
        "export leaks reference code:\n{problems}",
        "내보낸 저장소에 참고 구현의 코드가 새어 나갔습니다:\n{problems}",
        "書き出したリポジトリに参考実装のコードが漏れています：\n{problems}"),
    "export_done": (
        "Exported {n} modules, tests and tooling to {dest}",
        "모듈 {n}개, 테스트, 도구를 {dest}에 내보냈습니다",
        "モジュール {n} 個、テスト、ツールを {dest} に書き出しました"),
    "export_lint_ok": (
        "lint: no reference body in the learner modules",
        "검사: 학습자용 모듈에 참고 구현의 본문이 없습니다",
        "検査：学習者用モジュールに参考実装の本体はありません"),
    "export_git": (
        "git: fresh repository, one commit, no remote",
        "git: 새 저장소, 커밋 1개, 원격 저장소 없음",
        "git：新しいリポジトリ、コミット 1 つ、リモートなし"),
}

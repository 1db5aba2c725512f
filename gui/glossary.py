"""Teaching texts for every control and term, in English and Korean.

One entry per term: a short label for the control panel and a tooltip-sized explanation. The
texts are LossLab's own; the facts about the four knobs follow the Korean article in
``shared/reference/deep-learning-terms-ko.txt`` (loss, batch size + LARS, epochs, learning rate).
Adding a language means adding one more key to each entry; :func:`missing_translations` lists
the gaps so a test can keep every language complete.
"""

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"

TERMS = {
    # --- Data -----------------------------------------------------------------------------
    "dataset": {
        "label": {"en": "Dataset", "ko": "데이터셋"},
        "text": {
            "en": "The examples the network learns from. 2-D toy sets (circle, xor, moons, "
                  "spiral...) show the decision surface; sine is a 1-D regression; iris and "
                  "digits are real classification sets shown as a confusion matrix. "
                  "\"Open CSV…\" loads your own table (last column = target).",
            "ko": "신경망이 학습하는 예제 모음입니다. circle, xor, moons, spiral 같은 2차원 "
                  "데이터는 결정 경계를 그림으로 보여 주고, sine은 1차원 회귀 문제이며, iris와 "
                  "digits는 실제 분류 데이터로 혼동 행렬로 표시됩니다. \"Open CSV…\"로 직접 만든 "
                  "표(마지막 열이 정답)를 불러올 수 있습니다.",
        },
    },
    "noise": {
        "label": {"en": "Noise", "ko": "잡음"},
        "text": {
            "en": "How much random jitter is added to the generated points. More noise makes "
                  "the classes overlap, so a perfect fit becomes memorising (overfitting).",
            "ko": "생성된 점에 더하는 무작위 흔들림의 크기입니다. 잡음이 크면 클래스가 서로 "
                  "겹치므로, 학습 데이터를 완벽히 맞추는 것은 곧 암기(과적합)가 됩니다.",
        },
    },
    "validation_split": {
        "label": {"en": "Validation split", "ko": "검증 비율"},
        "text": {
            "en": "Fraction of the examples held back and never trained on. The validation "
                  "loss measures how well the model generalises; when it rises while the "
                  "training loss keeps falling, the model is overfitting.",
            "ko": "학습에 쓰지 않고 따로 떼어 두는 예제의 비율입니다. 검증 손실은 모델이 처음 "
                  "보는 데이터에 얼마나 잘 일반화하는지 보여 줍니다. 학습 손실은 계속 줄어드는데 "
                  "검증 손실이 올라가기 시작하면 과적합입니다.",
        },
    },
    "n_samples": {
        "label": {"en": "Samples", "ko": "샘플 수"},
        "text": {
            "en": "How many examples to generate (0 = the dataset's default). Few samples "
                  "make overfitting easy to see.",
            "ko": "생성할 예제의 개수입니다(0은 데이터셋 기본값). 샘플이 적을수록 과적합이 "
                  "쉽게 드러납니다.",
        },
    },
    # --- Model ----------------------------------------------------------------------------
    "hidden_layers": {
        "label": {"en": "Hidden layers", "ko": "은닉층"},
        "text": {
            "en": "Units per hidden layer, comma separated: \"8, 8\" is two layers of 8 "
                  "neurons; empty means no hidden layer (a linear model). More units can fit "
                  "more complex shapes, and overfit more easily.",
            "ko": "은닉층별 뉴런 수를 쉼표로 구분해 적습니다. \"8, 8\"은 뉴런 8개짜리 층 "
                  "두 개이고, 비워 두면 은닉층이 없는 선형 모델입니다. 뉴런이 많을수록 복잡한 "
                  "모양을 맞출 수 있지만 과적합도 쉬워집니다.",
        },
    },
    "activation": {
        "label": {"en": "Activation", "ko": "활성화 함수"},
        "text": {
            "en": "The non-linearity applied after each hidden layer (tanh, relu, sigmoid, "
                  "...). Without it, stacked layers collapse into one straight-line model.",
            "ko": "각 은닉층 뒤에 적용하는 비선형 함수입니다(tanh, relu, sigmoid 등). 이것이 "
                  "없으면 층을 여러 개 쌓아도 하나의 직선(선형) 모델과 같아집니다.",
        },
    },
    "output_activation": {
        "label": {"en": "Output activation", "ko": "출력 활성화"},
        "text": {
            "en": "The function on the last layer. \"auto\" picks what the loss expects: "
                  "sigmoid for binary crossentropy, softmax for categorical losses, linear "
                  "for regression.",
            "ko": "마지막 층에 쓰는 함수입니다. \"auto\"는 손실 함수에 맞는 것을 고릅니다. "
                  "이진 교차 엔트로피에는 sigmoid, 범주형 손실에는 softmax, 회귀에는 선형 "
                  "함수를 씁니다.",
        },
    },
    "seed": {
        "label": {"en": "Seed", "ko": "시드"},
        "text": {
            "en": "Seed of the random numbers for data, initial weights and shuffling. The "
                  "same seed and settings give exactly the same run.",
            "ko": "데이터, 초기 가중치, 섞기에 쓰이는 난수의 시드입니다. 시드와 설정이 같으면 "
                  "학습 과정도 똑같이 재현됩니다.",
        },
    },
    # --- Training -------------------------------------------------------------------------
    "loss": {
        "label": {"en": "Loss", "ko": "손실 함수"},
        "text": {
            "en": "The loss function is the goal of training: a number that measures how far "
                  "the predictions are from the true values, and the weights are moved to make "
                  "it smaller. Usual picks: binary_crossentropy for two classes, "
                  "categorical_crossentropy for several, mean_squared_error for numbers.",
            "ko": "손실 함수는 학습의 목표입니다. 예측값이 실제값과 얼마나 다른지를 하나의 "
                  "숫자로 나타내고, 가중치는 이 값이 작아지는 쪽으로 조정됩니다. 보통 두 "
                  "클래스는 binary_crossentropy, 여러 클래스는 categorical_crossentropy, "
                  "수치 예측은 mean_squared_error를 씁니다.",
        },
    },
    "optimizer": {
        "label": {"en": "Optimizer", "ko": "옵티마이저"},
        "text": {
            "en": "The rule that turns gradients into weight updates. sgd takes plain steps; "
                  "momentum and nesterov add inertia; rmsprop, adam, adamw and adagrad adapt "
                  "the step per weight; lars and lamb scale each layer's step by a trust ratio "
                  "so very large batches train stably.",
            "ko": "기울기를 가중치 변경으로 바꾸는 규칙입니다. sgd는 기본 경사 하강, momentum과 "
                  "nesterov는 관성을 더하고, rmsprop·adam·adamw·adagrad는 가중치마다 보폭을 "
                  "조절하며, lars와 lamb는 층마다 신뢰 비율로 보폭을 조정해 아주 큰 배치에서도 "
                  "안정적으로 학습하게 합니다.",
        },
    },
    "learning_rate": {
        "label": {"en": "Learning rate", "ko": "학습률"},
        "text": {
            "en": "How far each update moves the weights against the gradient. Large: fast, "
                  "but it can overshoot the minimum or diverge (the loss explodes to "
                  "infinity). Small: slow, and it may settle in a poor local minimum. The "
                  "arrows multiply or divide on a log scale (1, 2, 5, 10...). Applies from "
                  "the next batch while training.",
            "ko": "각 업데이트에서 가중치를 기울기의 반대 방향으로 얼마나 움직일지 정합니다. "
                  "크면 빠르지만 최솟값을 지나치거나 발산할 수 있고(손실이 무한대로 커짐), "
                  "작으면 느리고 좋지 않은 국소 최솟값에 머물 수 있습니다. 화살표는 로그 "
                  "눈금(1, 2, 5, 10…)으로 곱하고 나눕니다. 학습 중에도 다음 배치부터 "
                  "적용됩니다.",
        },
    },
    "momentum": {
        "label": {"en": "Momentum", "ko": "모멘텀"},
        "text": {
            "en": "Fraction of the previous update kept in the next one (0 = none). It "
                  "smooths the path and speeds up travel along shallow valleys.",
            "ko": "이전 업데이트를 다음 업데이트에 얼마나 남길지의 비율입니다(0은 없음). "
                  "경로를 부드럽게 하고 완만한 골짜기를 따라 더 빨리 나아가게 합니다.",
        },
    },
    "rho": {
        "label": {"en": "Rho", "ko": "Rho"},
        "text": {
            "en": "RMSprop's decay of the running average of squared gradients: close to 1 "
                  "means a long memory.",
            "ko": "RMSprop에서 기울기 제곱의 이동 평균이 줄어드는 비율입니다. 1에 가까울수록 "
                  "오래 기억합니다.",
        },
    },
    "beta_1": {
        "label": {"en": "Beta 1", "ko": "Beta 1"},
        "text": {
            "en": "Adam-family decay of the average gradient (the momentum part).",
            "ko": "Adam 계열에서 기울기 평균(모멘텀 부분)이 줄어드는 비율입니다.",
        },
    },
    "beta_2": {
        "label": {"en": "Beta 2", "ko": "Beta 2"},
        "text": {
            "en": "Adam-family decay of the average squared gradient (the per-weight scale).",
            "ko": "Adam 계열에서 기울기 제곱 평균(가중치별 보폭 크기)이 줄어드는 비율입니다.",
        },
    },
    "epsilon": {
        "label": {"en": "Epsilon", "ko": "엡실론"},
        "text": {
            "en": "A tiny number added to denominators so no step divides by zero.",
            "ko": "0으로 나누지 않도록 분모에 더하는 아주 작은 수입니다.",
        },
    },
    "weight_decay": {
        "label": {"en": "Weight decay", "ko": "가중치 감쇠"},
        "text": {
            "en": "Shrinks every weight a little each step (AdamW, LAMB, LARS), a brake "
                  "against overfitting.",
            "ko": "매 단계 모든 가중치를 조금씩 줄입니다(AdamW, LAMB, LARS). 과적합을 막는 "
                  "브레이크 역할을 합니다.",
        },
    },
    "trust_coef": {
        "label": {"en": "Trust coefficient", "ko": "신뢰 계수"},
        "text": {
            "en": "LARS (Layer-wise Adaptive Rate Scaling) scales each layer's step by "
                  "trust_coef × ‖w‖ / ‖g‖, so layers with small gradients still move and large "
                  "batches stay stable. The trust ratios are drawn on the learning-rate plot.",
            "ko": "LARS(층별 적응 학습률 조정)는 각 층의 보폭에 trust_coef × ‖w‖ / ‖g‖를 "
                  "곱합니다. 기울기가 작은 층도 움직이고 큰 배치에서도 학습이 안정됩니다. "
                  "신뢰 비율은 학습률 그래프에 함께 그려집니다.",
        },
    },
    "schedule": {
        "label": {"en": "Schedule", "ko": "학습률 스케줄"},
        "text": {
            "en": "How the learning rate changes over time: constant, or decaying (step, "
                  "exponential, cosine...). A smaller rate late in training lets the loss "
                  "settle into the minimum. Changing it needs a Reset.",
            "ko": "학습률이 시간에 따라 어떻게 바뀌는지 정합니다. 일정하게 두거나(constant) "
                  "점점 줄일 수 있습니다(step, exponential, cosine 등). 학습 후반에 학습률을 "
                  "줄이면 손실이 최솟값에 안착합니다. 바꾸려면 Reset이 필요합니다.",
        },
    },
    "warmup_epochs": {
        "label": {"en": "Warm-up epochs", "ko": "워밍업 에포크"},
        "text": {
            "en": "Epochs over which the learning rate ramps up from near zero. Large-batch "
                  "training uses it to avoid an explosive start.",
            "ko": "학습률을 0 근처에서 서서히 올리는 에포크 수입니다. 큰 배치 학습에서 초반에 "
                  "발산하지 않도록 씁니다.",
        },
    },
    "batch_size": {
        "label": {"en": "Batch size", "ko": "배치 크기"},
        "text": {
            "en": "Examples per update. The data is split into batches instead of used all "
                  "at once; a larger batch means fewer, smoother updates per epoch. Too large "
                  "can hurt accuracy because optimisation and generalisation get harder, and "
                  "it interacts with the learning rate (LARS was made for this). Applies "
                  "from the next epoch while training.",
            "ko": "한 번의 업데이트에 쓰는 예제 수입니다. 데이터를 한꺼번에 쓰지 않고 여러 "
                  "배치로 나누어 학습합니다. 배치가 크면 에포크당 업데이트 횟수가 줄고 더 "
                  "매끄러워지지만, 너무 크면 최적화와 일반화가 어려워 정확도가 떨어질 수 "
                  "있습니다. 학습률과도 얽혀 있어 LARS 같은 방법이 나왔습니다. 학습 중에는 "
                  "다음 에포크부터 적용됩니다.",
        },
    },
    "epochs": {
        "label": {"en": "Epochs", "ko": "에포크"},
        "text": {
            "en": "How many passes over the whole training set. One epoch = every example "
                  "seen once. More epochs usually lower the training loss, but the model can "
                  "overfit: watch the validation curve and the best-epoch marker. Applies "
                  "immediately while training.",
            "ko": "전체 학습 데이터를 몇 번 반복해서 볼지 정합니다. 1 에포크는 모든 예제를 한 "
                  "번씩 본 것입니다. 에포크가 많으면 학습 손실은 대개 줄지만 과적합될 수 "
                  "있으니 검증 곡선과 최고 에포크 표시를 보세요. 학습 중에도 바로 적용됩니다.",
        },
    },
    "l2": {
        "label": {"en": "L2 penalty", "ko": "L2 규제"},
        "text": {
            "en": "Adds l2 × (sum of squared weights) to the loss, pulling weights towards "
                  "zero; a classic cure for overfitting. Applies from the next batch.",
            "ko": "손실에 l2 × (가중치 제곱합)을 더해 가중치를 0 쪽으로 당깁니다. 과적합을 "
                  "줄이는 고전적인 방법입니다. 다음 배치부터 적용됩니다.",
        },
    },
    "decay_steps": {
        "label": {"en": "Decay steps", "ko": "감쇠 간격"},
        "text": {
            "en": "Steps over which a decaying schedule shrinks the learning rate by the decay "
                  "rate (step, exponential, inverse_time), or the length of the cosine decay.",
            "ko": "감쇠 스케줄이 학습률을 감쇠율만큼 줄이는 데 걸리는 단계 수입니다(step, "
                  "exponential, inverse_time). cosine에서는 감쇠 전체 길이입니다.",
        },
    },
    "decay_rate": {
        "label": {"en": "Decay rate", "ko": "감쇠율"},
        "text": {
            "en": "Factor the learning rate is multiplied by every decay-steps interval "
                  "(0.5 halves it).",
            "ko": "감쇠 간격마다 학습률에 곱하는 값입니다(0.5이면 절반이 됩니다).",
        },
    },
    "linear_scaling": {
        "label": {"en": "Linear scaling", "ko": "선형 스케일링"},
        "text": {
            "en": "Multiply the learning rate by batch size / base batch size (32), the "
                  "usual rule for keeping large-batch training comparable to small batches.",
            "ko": "학습률에 배치 크기 / 기준 배치 크기(32)를 곱합니다. 큰 배치 학습을 작은 "
                  "배치와 비슷하게 유지하는 흔한 규칙입니다.",
        },
    },
    "early_stopping_patience": {
        "label": {"en": "Early stopping", "ko": "조기 종료"},
        "text": {
            "en": "Stop when the validation loss has not improved for this many epochs "
                  "(0 = never). A direct answer to overfitting from too many epochs.",
            "ko": "검증 손실이 이 에포크 수만큼 나아지지 않으면 학습을 멈춥니다(0은 사용 "
                  "안 함). 에포크가 너무 많아 생기는 과적합에 대한 직접적인 처방입니다.",
        },
    },
    "dtype": {
        "label": {"en": "Precision", "ko": "정밀도"},
        "text": {
            "en": "Number format of weights and data: float64 (exact) or float32 (faster "
                  "for large layers, what GPUs use).",
            "ko": "가중치와 데이터의 숫자 형식입니다. float64(정확함) 또는 float32(큰 층에서 "
                  "더 빠르며 GPU가 쓰는 형식)입니다.",
        },
    },
    "regenerate": {
        "label": {"en": "New data", "ko": "새 데이터"},
        "text": {
            "en": "Draw a new sample of the dataset (next seed) and reset the model.",
            "ko": "데이터셋을 새로 뽑고(다음 시드) 모델을 초기화합니다.",
        },
    },
    # --- Run and plots --------------------------------------------------------------------
    "start": {
        "label": {"en": "Start", "ko": "시작"},
        "text": {
            "en": "Start training (Space). While running it pauses; while paused it resumes.",
            "ko": "학습을 시작합니다(Space). 학습 중에는 일시 정지, 정지 중에는 재개합니다.",
        },
    },
    "stop": {
        "label": {"en": "Stop", "ko": "정지"},
        "text": {
            "en": "Stop training (Esc). The model and curves stay; Start continues from here.",
            "ko": "학습을 멈춥니다(Esc). 모델과 곡선은 그대로 남고, 시작을 누르면 이어서 "
                  "학습합니다.",
        },
    },
    "step": {
        "label": {"en": "Step", "ko": "한 단계"},
        "text": {
            "en": "Train exactly one batch, to watch a single update.",
            "ko": "배치 하나만 학습해 한 번의 업데이트를 관찰합니다.",
        },
    },
    "reset": {
        "label": {"en": "Reset", "ko": "초기화"},
        "text": {
            "en": "Build a new model with the current settings (Ctrl+R): fresh weights, "
                  "empty curves. Pending changes (dataset, loss, layers...) take effect here.",
            "ko": "현재 설정으로 새 모델을 만듭니다(Ctrl+R). 가중치를 새로 초기화하고 곡선을 "
                  "지웁니다. 대기 중인 변경(데이터셋, 손실, 층 등)은 여기서 적용됩니다.",
        },
    },
    "smoothing": {
        "label": {"en": "Smoothing", "ko": "평활화"},
        "text": {
            "en": "Exponential moving average of the batch loss, debiased like TensorBoard "
                  "(0 = raw, 0.99 = very smooth). The faint curve is the raw loss.",
            "ko": "배치 손실의 지수 이동 평균으로, TensorBoard처럼 초기 편향을 보정합니다"
                  "(0은 원본, 0.99는 매우 부드러움). 흐린 곡선이 원본 손실입니다.",
        },
    },
    "log_y": {
        "label": {"en": "Log y", "ko": "로그 y축"},
        "text": {
            "en": "Logarithmic loss axis: equal ratios look equal, so slow progress late in "
                  "training stays visible. Non-positive losses (cosine) are not drawn.",
            "ko": "손실 축을 로그 눈금으로 그립니다. 같은 비율의 변화가 같은 크기로 보여 학습 "
                  "후반의 느린 개선도 보입니다. 0 이하의 손실(cosine)은 그려지지 않습니다.",
        },
    },
    "batch_loss_plot": {
        "label": {"en": "Batch loss", "ko": "배치 손실"},
        "text": {
            "en": "Loss of every mini-batch. Noisy because each batch is a different sample; "
                  "vertical labelled lines mark live knob changes, light lines epoch starts.",
            "ko": "미니배치마다의 손실입니다. 배치마다 다른 예제라 들쭉날쭉합니다. 이름이 붙은 "
                  "세로선은 학습 중 바꾼 설정, 흐린 선은 에포크의 시작입니다.",
        },
    },
    "epoch_loss_plot": {
        "label": {"en": "Epoch loss", "ko": "에포크 손실"},
        "text": {
            "en": "Training vs validation loss after each epoch. The gap between them is "
                  "overfitting; the marker shows the epoch with the lowest validation loss.",
            "ko": "에포크마다의 학습 손실과 검증 손실입니다. 둘의 간격이 과적합의 정도이고, "
                  "표시는 검증 손실이 가장 낮은 에포크입니다.",
        },
    },
    "accuracy_plot": {
        "label": {"en": "Accuracy", "ko": "정확도"},
        "text": {
            "en": "Fraction of correctly classified examples, training and validation.",
            "ko": "올바르게 분류한 예제의 비율(학습/검증)입니다.",
        },
    },
    "learning_rate_plot": {
        "label": {"en": "Learning rate", "ko": "학습률"},
        "text": {
            "en": "Learning rate used at each batch (schedules, warm-up and live changes). "
                  "For LARS and LAMB also each layer's trust ratio (right axis, logarithmic): "
                  "the factor ‖w‖ / ‖g‖ (times the trust coefficient) by which that layer's "
                  "step is scaled, so every layer moves by a similar fraction of its weights.",
            "ko": "배치마다 사용한 학습률입니다(스케줄, 워밍업, 학습 중 변경). LARS와 LAMB는 "
                  "층별 신뢰 비율도 함께 그립니다(오른쪽 로그 축): 그 층의 보폭에 곱하는 "
                  "‖w‖ / ‖g‖(신뢰 계수를 곱한 값)로, 모든 층이 가중치에 비해 비슷한 비율로 "
                  "움직이게 합니다.",
        },
    },
    "data_plot": {
        "label": {"en": "Data and model", "ko": "데이터와 모델"},
        "text": {
            "en": "What the model has learned: the decision surface behind the training "
                  "(filled) and validation (ring) points, the fitted curve for 1-D "
                  "regression, or a confusion matrix (rows true, columns predicted).",
            "ko": "모델이 배운 내용입니다. 학습 점(채움)과 검증 점(고리) 뒤의 결정 경계, 1차원 "
                  "회귀의 맞춘 곡선, 또는 혼동 행렬(행은 정답, 열은 예측)을 보여 줍니다.",
        },
    },
    "lr_finder": {
        "label": {"en": "Learning-rate range test", "ko": "학습률 범위 테스트"},
        "text": {
            "en": "A short trial run whose learning rate grows from 1e-7 to 10, batch by "
                  "batch, while the smoothed loss is recorded. On the left the rate is too "
                  "small and the loss barely moves; on the right it is too large and the loss "
                  "explodes. A good rate lies where the loss falls steadily. Your model is "
                  "not changed.",
            "ko": "학습률을 배치마다 1e-7에서 10까지 키우며 평활화한 손실을 기록하는 짧은 시험 "
                  "학습입니다. 왼쪽은 학습률이 너무 작아 손실이 거의 줄지 않고, 오른쪽은 너무 "
                  "커서 손실이 폭발합니다. 손실이 꾸준히 줄어드는 구간의 학습률이 좋습니다. "
                  "현재 모델은 바뀌지 않습니다.",
        },
    },
    # --- Glossary-only terms --------------------------------------------------------------
    "crossentropy": {
        "label": {"en": "Crossentropy", "ko": "교차 엔트로피"},
        "text": {
            "en": "From information theory: a measure of the difference between two "
                  "probability distributions. Training with it pulls the predicted "
                  "distribution towards the true one.",
            "ko": "정보 이론에서 온 개념으로, 두 확률 분포의 차이를 재는 척도입니다. 이것으로 "
                  "학습하면 예측 분포가 실제 분포에 가까워집니다.",
        },
    },
    "hinge": {
        "label": {"en": "Hinge", "ko": "힌지"},
        "text": {
            "en": "The loss of support vector machines: it rewards a margin. An SVM looks for "
                  "the boundary that stays as far as possible from the closest points of each "
                  "class; use hinge losses for that kind of model.",
            "ko": "서포트 벡터 머신(SVM)의 손실로, 여유(마진)를 줍니다. SVM은 각 클래스에서 "
                  "가장 가까운 점들로부터 최대한 멀리 떨어진 경계를 찾습니다. 그런 모델을 "
                  "원하면 hinge 계열 손실을 씁니다.",
        },
    },
    "sparse": {
        "label": {"en": "Sparse labels", "ko": "희소(sparse) 레이블"},
        "text": {
            "en": "sparse_categorical_crossentropy takes the true class as one integer "
                  "(0, 1, 2, 3...) instead of a one-hot row that is almost all zeros (a "
                  "sparse row). It suits examples that belong to exactly one class; it is "
                  "not more accurate than categorical_crossentropy, only lighter on memory "
                  "and time.",
            "ko": "sparse_categorical_crossentropy는 정답 클래스를 대부분이 0인 원-핫 행"
                  "(희소 행) 대신 정수 하나(0, 1, 2, 3…)로 받습니다. 각 예제가 정확히 한 "
                  "클래스에 속할 때 알맞습니다. categorical_crossentropy보다 정확도가 높아지지는 "
                  "않고, 메모리와 시간을 아낄 뿐입니다.",
        },
    },
    "overfitting": {
        "label": {"en": "Overfitting", "ko": "과적합"},
        "text": {
            "en": "The model fits the training examples, noise included, instead of the "
                  "pattern behind them: training loss keeps falling while validation loss "
                  "rises. Fewer epochs, more data, L2 or a smaller model help.",
            "ko": "모델이 데이터 뒤의 규칙 대신 잡음까지 포함한 학습 예제 자체를 외우는 "
                  "현상입니다. 학습 손실은 계속 줄지만 검증 손실은 올라갑니다. 에포크를 줄이거나 "
                  "데이터를 늘리거나 L2 규제, 더 작은 모델이 도움이 됩니다.",
        },
    },
    "divergence": {
        "label": {"en": "Divergence", "ko": "발산"},
        "text": {
            "en": "The loss grows without bound until it is no longer a finite number. The "
                  "usual cause is a learning rate too large for the problem: each step jumps "
                  "past the minimum to a worse point. Lower the learning rate and Reset.",
            "ko": "손실이 끝없이 커져 유한한 숫자가 아니게 되는 현상입니다. 보통 학습률이 "
                  "문제에 비해 너무 커서 매 단계가 최솟값을 건너뛰어 더 나쁜 곳으로 가기 "
                  "때문입니다. 학습률을 낮추고 Reset 하세요.",
        },
    },
}

# Words of the interface that are not glossary terms.
UI_TEXT = {
    "group_data": {"en": "Data", "ko": "데이터"},
    "group_model": {"en": "Model", "ko": "모델"},
    "group_training": {"en": "Training", "ko": "학습"},
    "group_run": {"en": "Run", "ko": "실행"},
    "pending": {
        "en": "Pending until Reset: {fields}. Training goes on with the current model; press "
              "Reset (Ctrl+R) to build a new one with these settings.",
        "ko": "Reset 전까지 대기 중: {fields}. 학습은 현재 모델로 계속됩니다. 이 설정으로 새 "
              "모델을 만들려면 Reset(Ctrl+R)을 누르세요.",
    },
    "incompatible": {
        "en": "Cannot start with these settings: {reason}",
        "ko": "이 설정으로는 시작할 수 없습니다: {reason}",
    },
    "default_samples": {"en": "default", "ko": "기본값"},
    "pause": {"en": "Pause", "ko": "일시 정지"},
    "resume": {"en": "Resume", "ko": "재개"},
    "continue": {"en": "Continue", "ko": "계속"},
    "smoothing": {"en": "Smoothing", "ko": "평활화"},
    "menu_file": {"en": "&File", "ko": "파일(&F)"},
    "menu_run": {"en": "&Run", "ko": "실행(&R)"},
    "menu_view": {"en": "&View", "ko": "보기(&V)"},
    "menu_help": {"en": "&Help", "ko": "도움말(&H)"},
    "menu_plots": {"en": "Plots", "ko": "그래프"},
    "open_csv": {"en": "Open CSV…", "ko": "CSV 열기…"},
    "load_config": {"en": "Load Config…", "ko": "설정 불러오기…"},
    "save_config": {"en": "Save Config…", "ko": "설정 저장…"},
    "save_image": {"en": "Save Image…", "ko": "이미지 저장…"},
    "export_history": {"en": "Export History CSV…", "ko": "학습 기록 CSV 내보내기…"},
    "quit": {"en": "Quit", "ko": "끝내기"},
    "glossary": {"en": "Glossary", "ko": "용어집"},
    "about": {"en": "About LossLab", "ko": "LossLab 정보"},
    "log_y_menu": {"en": "Log-scale batch loss", "ko": "배치 손실 로그 눈금"},
    "find_lr": {"en": "Find Learning Rate…", "ko": "학습률 찾기…"},
    "use_suggested_lr": {"en": "Use suggested rate", "ko": "제안된 학습률 사용"},
    "lr_suggestion": {
        "en": "Suggested: {rate} (fastai's \"valley\"); steepest fall at {steepest}.",
        "ko": "제안: {rate} (fastai의 \"valley\"), 가장 가파르게 줄어드는 곳: {steepest}.",
    },
    "finding_lr": {
        "en": "Running the learning-rate range test…",
        "ko": "학습률 범위 테스트를 실행하는 중…",
    },
}

# Short per-loss notes shown as each loss's tooltip in the loss dropdown.
LOSS_NOTES = {
    "mean_squared_error": {
        "en": "Mean of squared errors; large errors weigh a lot. The default for regression.",
        "ko": "오차 제곱의 평균으로, 큰 오차에 무게가 많이 실립니다. 회귀의 기본 선택입니다.",
    },
    "mean_absolute_error": {
        "en": "Mean of absolute errors; less sensitive to outliers than squared error.",
        "ko": "오차 절댓값의 평균으로, 제곱 오차보다 이상치에 덜 민감합니다.",
    },
    "mean_absolute_percentage_error": {
        "en": "Absolute error as a percentage of the true value; explodes near zero targets.",
        "ko": "실제값 대비 절대 오차의 백분율로, 정답이 0에 가까우면 매우 커집니다.",
    },
    "mean_squared_logarithmic_error": {
        "en": "Squared error of log(1 + value); cares about ratios, not absolute sizes.",
        "ko": "log(1 + 값)의 제곱 오차로, 절대 크기보다 비율을 봅니다.",
    },
    "squared_hinge": {
        "en": "Hinge loss squared: a smoother margin penalty (labels become -1/+1).",
        "ko": "힌지 손실의 제곱으로, 마진 위반을 더 부드럽게 벌합니다(레이블은 -1/+1).",
    },
    "hinge": {
        "en": "SVM-style margin loss: zero once a point is on the right side by a margin.",
        "ko": "SVM 방식의 마진 손실로, 점이 충분한 여유를 두고 맞는 쪽에 있으면 0입니다.",
    },
    "categorical_hinge": {
        "en": "Multi-class hinge: the true class must beat the best wrong class by 1.",
        "ko": "다중 클래스 힌지로, 정답 클래스 점수가 가장 높은 오답보다 1 이상 커야 합니다.",
    },
    "categorical_crossentropy": {
        "en": "Crossentropy with one-hot labels and softmax outputs; the multi-class default.",
        "ko": "원-핫 레이블과 softmax 출력의 교차 엔트로피로, 다중 분류의 기본 선택입니다.",
    },
    "sparse_categorical_crossentropy": {
        "en": "Same as categorical crossentropy, with labels as integers instead of one-hot.",
        "ko": "categorical crossentropy와 같지만 레이블을 원-핫 대신 정수로 받습니다.",
    },
    "binary_crossentropy": {
        "en": "Crossentropy for two classes with one sigmoid output; the binary default.",
        "ko": "sigmoid 출력 하나로 두 클래스를 다루는 교차 엔트로피로, 이진 분류의 기본입니다.",
    },
    "kullback_leibler_divergence": {
        "en": "How much information is lost using the predicted distribution for the true one.",
        "ko": "예측 분포로 실제 분포를 대신할 때 잃는 정보의 양입니다.",
    },
    "poisson": {
        "en": "For counts: the negative log-likelihood of a Poisson distribution.",
        "ko": "개수(횟수) 데이터용으로, 포아송 분포의 음의 로그 가능도입니다.",
    },
    "cosine_proximity": {
        "en": "Minus the cosine similarity of prediction and target (-1 = same direction).",
        "ko": "예측과 정답의 코사인 유사도에 음수를 붙인 값입니다(-1이면 같은 방향).",
    },
}


def label(key, language=DEFAULT_LANGUAGE):
    """Return the control label of glossary entry ``key`` in ``language``."""
    return TERMS[key]["label"][language]


def text(key, language=DEFAULT_LANGUAGE):
    """Return the explanation of glossary entry ``key`` in ``language``."""
    return TERMS[key]["text"][language]


def tooltip(key, language=DEFAULT_LANGUAGE):
    """Return a rich-text tooltip: bold label, then the explanation, wrapped by Qt."""
    return f"<b>{label(key, language)}</b><br>{text(key, language)}"


def ui_text(key, language=DEFAULT_LANGUAGE):
    """Return interface string ``key`` in ``language``."""
    return UI_TEXT[key][language]


def loss_note(name, language=DEFAULT_LANGUAGE):
    """Return the one-line note for loss ``name`` (empty string for unknown names)."""
    note = LOSS_NOTES.get(name)
    return note[language] if note else ""


def missing_translations():
    """List ``(entry, part, language)`` for every text that is absent or empty."""
    missing = []
    for key, entry in TERMS.items():
        for part in ("label", "text"):
            for language in LANGUAGES:
                if not entry[part].get(language, "").strip():
                    missing.append((key, part, language))
    for key, entry in UI_TEXT.items():
        for language in LANGUAGES:
            if not entry.get(language, "").strip():
                missing.append((key, "ui_text", language))
    for key, note in LOSS_NOTES.items():
        for language in LANGUAGES:
            if not note.get(language, "").strip():
                missing.append((key, "loss_note", language))
    return missing

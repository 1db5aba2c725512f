<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name></name>
    <message>
        <source>&amp;Data</source>
        <translation>데이터(&amp;D)</translation>
    </message>
    <message>
        <source>Suggested Settings</source>
        <translation>추천 설정</translation>
    </message>
    <message>
        <source>not learning</source>
        <translation>학습 안 됨</translation>
    </message>
    <message>
        <source>epoch {epoch}</source>
        <translation>에포크 {epoch}</translation>
    </message>
    <message>
        <source>Lessons</source>
        <extracomment>Width (px) the window keeps for the control panel and the plots beside a docked lesson dock (the layout tests find the plots readable at 1280 px); narrower, the dock floats. A floating lesson dock&apos;s width at least (px): the lesson panel&apos;s text and buttons. The docks&apos; objectNames and titles.</extracomment>
        <translation>수업</translation>
    </message>
    <message>
        <source>Loss landscape</source>
        <translation>손실 지형</translation>
    </message>
    <message>
        <source>Keep Run</source>
        <translation>실행 보관</translation>
    </message>
    <message>
        <source>Remove Selected Run</source>
        <translation>선택한 실행 삭제</translation>
    </message>
    <message>
        <source>Clear Kept Runs</source>
        <translation>보관한 실행 모두 지우기</translation>
    </message>
    <message>
        <source>Bring Back Set-Aside Runs</source>
        <translation>치워 둔 실행 다시 보이기</translation>
    </message>
    <message>
        <source>Steps to within 10% of the floor, by learning rate</source>
        <translation>학습률별로 바닥의 10% 이내에 들기까지 걸린 단계 수</translation>
    </message>
    <message>
        <source>Final validation accuracy by batch size</source>
        <translation>배치 크기별 최종 검증 정확도</translation>
    </message>
    <message>
        <source>Validation loss of the weights each run ends with</source>
        <translation>각 실행이 마지막에 갖는 가중치의 검증 손실</translation>
    </message>
    <message>
        <source>Final validation accuracy by loss</source>
        <translation>손실 함수별 최종 검증 정확도</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <source>epoch the weights come from</source>
        <translation>가중치를 가져온 에포크</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>검증 손실</translation>
    </message>
    <message>
        <source>limit {rate:.3g}</source>
        <translation>한계 {rate:.3g}</translation>
    </message>
    <message>
        <source>fastest {rate:.3g}</source>
        <translation>가장 빠름 {rate:.3g}</translation>
    </message>
    <message>
        <source>First weight at each step</source>
        <translation>단계마다 첫 번째 가중치</translation>
    </message>
    <message>
        <source>{label}: without the penalty</source>
        <translation>{label}: 규제 항을 뺀 값</translation>
    </message>
    <message>
        <source>linear scaling</source>
        <extracomment>Qt&apos;s &quot;no maximum&quot; width (QWIDGETSIZE_MAX). A replay is trusted when its losses equal the kept run&apos;s to this relative tolerance (the kept arrays may be stored in float32). Pixels between a label and the view&apos;s edge, another label or its point. How far up and down (in label heights) a label looks for a free place. Where along a marker line (0 bottom, 1 top) its name may go, in order of preference. Half the size of a point&apos;s symbol (px), kept clear of labels. A label further than this (px) from its point gets a line to it. Pixels between two tick labels of the x axis. Within this factor of the floor a run has &quot;arrived&quot; (the lesson&apos;s question says 10 %).</extracomment>
        <translation>선형 스케일링</translation>
    </message>
    <message>
        <source>Show again the kept runs that opening a lesson set aside (a lesson shows its own runs only; nothing was deleted)</source>
        <translation>수업을 열 때 치워 둔 보관 실행을 다시 보여 줍니다(수업은 자기 실행만 보여 주며, 지운 것은 없습니다)</translation>
    </message>
    <message>
        <source>{count} earlier runs set aside for this lesson: Lessons &gt; Bring Back Set-Aside Runs shows them again.</source>
        <translation>이 수업을 위해 이전 실행 {count}개를 치워 두었습니다. 수업 &gt; 치워 둔 실행 다시 보이기로 다시 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Export Runs…</source>
        <translation>실행 내보내기…</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>실행 목록</translation>
    </message>
    <message>
        <source>x axis</source>
        <translation>x축</translation>
    </message>
    <message>
        <source>step</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>samples seen</source>
        <translation>본 샘플 수</translation>
    </message>
    <message>
        <source>wall time</source>
        <translation>학습 시간</translation>
    </message>
    <message>
        <source>Pace</source>
        <translation>속도</translation>
    </message>
    <message>
        <source>max</source>
        <translation>최대</translation>
    </message>
    <message>
        <source>{pace} steps/s</source>
        <translation>초당 {pace} 단계</translation>
    </message>
    <message>
        <source>Nothing to keep yet: train a few steps first.</source>
        <translation>아직 보관할 것이 없습니다. 먼저 몇 단계 학습하세요.</translation>
    </message>
    <message>
        <source>Kept run: {label}</source>
        <translation>보관한 실행: {label}</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>The examples the network learns from. 2-D toy sets (circle, xor, moons, spiral...) show the decision surface; sine is a 1-D regression; iris and digits are real classification sets shown as a confusion matrix. &quot;Open CSV…&quot; loads your own table (last column = target).</source>
        <translation>신경망이 학습하는 예제 모음입니다. circle, xor, moons, spiral 같은 2차원 데이터는 결정 경계를 그림으로 보여 주고, sine은 1차원 회귀 문제이며, iris와 digits는 실제 분류 데이터로 혼동 행렬로 표시됩니다. &quot;CSV 열기…&quot;로 직접 만든 표(마지막 열이 정답)를 불러올 수 있습니다.</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>잡음</translation>
    </message>
    <message>
        <source>How much random jitter is added to the generated points. More noise makes the classes overlap, so a perfect fit becomes memorising (overfitting).</source>
        <translation>생성된 점에 더하는 무작위 흔들림의 크기입니다. 잡음이 크면 클래스가 서로 겹치므로, 학습 데이터를 완벽히 맞추는 것은 곧 암기(과적합)가 됩니다.</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>검증 비율</translation>
    </message>
    <message>
        <source>Fraction of the examples held back and never trained on. The validation loss measures how well the model generalises; when it rises while the training loss keeps falling, the model is overfitting.</source>
        <translation>학습에 쓰지 않고 따로 떼어 두는 예제의 비율입니다. 검증 손실은 모델이 처음 보는 데이터에 얼마나 잘 일반화하는지 보여 줍니다. 학습 손실은 계속 줄어드는데 검증 손실이 올라가기 시작하면 과적합입니다.</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>샘플 수</translation>
    </message>
    <message>
        <source>How many examples to generate (0 = the dataset&apos;s default). Few samples make overfitting easy to see.</source>
        <translation>생성할 예제의 개수입니다(0은 데이터셋 기본값). 샘플이 적을수록 과적합이 쉽게 드러납니다.</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>은닉층</translation>
    </message>
    <message>
        <source>Units per hidden layer, comma separated: &quot;8, 8&quot; is two layers of 8 neurons; empty means no hidden layer (a linear model). More units can fit more complex shapes, and overfit more easily.</source>
        <translation>은닉층별 뉴런 수를 쉼표로 구분해 적습니다. &quot;8, 8&quot;은 뉴런 8개짜리 층 두 개이고, 비워 두면 은닉층이 없는 선형 모델입니다. 뉴런이 많을수록 복잡한 모양을 맞출 수 있지만 과적합도 쉬워집니다.</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>활성화 함수</translation>
    </message>
    <message>
        <source>The non-linearity applied after each hidden layer (tanh, relu, sigmoid, ...). Without it, stacked layers collapse into one straight-line model.</source>
        <translation>각 은닉층 뒤에 적용하는 비선형 함수입니다(tanh, relu, sigmoid 등). 이것이 없으면 층을 여러 개 쌓아도 하나의 직선(선형) 모델과 같아집니다.</translation>
    </message>
    <message>
        <source>Output activation</source>
        <translation>출력 활성화</translation>
    </message>
    <message>
        <source>The function on the last layer. &quot;auto&quot; picks what the loss expects: sigmoid for binary crossentropy, softmax for categorical losses, linear for regression.</source>
        <translation>마지막 층에 쓰는 함수입니다. &quot;auto&quot;는 손실 함수에 맞는 것을 고릅니다. 이진 교차 엔트로피에는 sigmoid, 범주형 손실에는 softmax, 회귀에는 선형 함수를 씁니다.</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>Seed of the random numbers for data, initial weights and shuffling. The same seed and settings give exactly the same run.</source>
        <translation>데이터, 초기 가중치, 섞기에 쓰이는 난수의 시드입니다. 시드와 설정이 같으면 학습 과정도 똑같이 재현됩니다.</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실 함수</translation>
    </message>
    <message>
        <source>The loss function is the goal of training: a number that measures how far the predictions are from the true values, and the weights are moved to make it smaller. Usual picks: binary_crossentropy for two classes, categorical_crossentropy for several, mean_squared_error for numbers.</source>
        <translation>손실 함수는 학습의 목표입니다. 예측값이 실제값과 얼마나 다른지를 하나의 숫자로 나타내고, 가중치는 이 값이 작아지는 쪽으로 조정됩니다. 보통 두 클래스는 binary_crossentropy, 여러 클래스는 categorical_crossentropy, 수치 예측은 mean_squared_error를 씁니다.</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>The rule that turns gradients into weight updates. sgd takes plain steps; momentum and nesterov add inertia; rmsprop, adam, adamw and adagrad adapt the step per weight; lars and lamb scale each layer&apos;s step by a trust ratio so very large batches train stably.</source>
        <translation>기울기를 가중치 변경으로 바꾸는 규칙입니다. sgd는 기본 경사 하강, momentum과 nesterov는 관성을 더하고, rmsprop·adam·adamw·adagrad는 가중치마다 보폭을 조절하며, lars와 lamb는 층마다 신뢰 비율로 보폭을 조정해 아주 큰 배치에서도 안정적으로 학습하게 합니다.</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <extracomment>Below this plot width the trust-ratio axis drops its title (the legend names the curves).</extracomment>
        <translation>학습률</translation>
    </message>
    <message>
        <source>How far each update moves the weights against the gradient. Large: fast, but it can overshoot the minimum or diverge (the loss explodes to infinity). Small: slow, and it may settle in a poor local minimum. The arrows multiply or divide on a log scale (1, 2, 5, 10...). Applies from the next batch while training.</source>
        <translation>각 업데이트에서 가중치를 기울기의 반대 방향으로 얼마나 움직일지 정합니다. 크면 빠르지만 최솟값을 지나치거나 발산할 수 있고(손실이 무한대로 커짐), 작으면 느리고 좋지 않은 국소 최솟값에 머물 수 있습니다. 화살표는 로그 눈금(1, 2, 5, 10…)으로 곱하고 나눕니다. 학습 중에도 다음 배치부터 적용됩니다.</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>모멘텀</translation>
    </message>
    <message>
        <source>Fraction of the previous update kept in the next one (0 = none). It smooths the path and speeds up travel along shallow valleys.</source>
        <translation>이전 업데이트를 다음 업데이트에 얼마나 남길지의 비율입니다(0은 없음). 경로를 부드럽게 하고 완만한 골짜기를 따라 더 빨리 나아가게 합니다.</translation>
    </message>
    <message>
        <source>Rho</source>
        <translation>Rho</translation>
    </message>
    <message>
        <source>RMSprop&apos;s decay of the running average of squared gradients: close to 1 means a long memory.</source>
        <translation>RMSprop에서 기울기 제곱의 이동 평균이 줄어드는 비율입니다. 1에 가까울수록 오래 기억합니다.</translation>
    </message>
    <message>
        <source>Beta 1</source>
        <translation>Beta 1</translation>
    </message>
    <message>
        <source>Adam-family decay of the average gradient (the momentum part).</source>
        <translation>Adam 계열에서 기울기 평균(모멘텀 부분)이 줄어드는 비율입니다.</translation>
    </message>
    <message>
        <source>Beta 2</source>
        <translation>Beta 2</translation>
    </message>
    <message>
        <source>Adam-family decay of the average squared gradient (the per-weight scale).</source>
        <translation>Adam 계열에서 기울기 제곱 평균(가중치별 보폭 크기)이 줄어드는 비율입니다.</translation>
    </message>
    <message>
        <source>Epsilon</source>
        <translation>엡실론</translation>
    </message>
    <message>
        <source>A tiny number added to denominators so no step divides by zero.</source>
        <translation>0으로 나누지 않도록 분모에 더하는 아주 작은 수입니다.</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>가중치 감쇠</translation>
    </message>
    <message>
        <source>Shrinks every weight a little each step (AdamW, LAMB, LARS), a brake against overfitting.</source>
        <translation>매 단계 모든 가중치를 조금씩 줄입니다(AdamW, LAMB, LARS). 과적합을 막는 브레이크 역할을 합니다.</translation>
    </message>
    <message>
        <source>Trust coefficient</source>
        <translation>신뢰 계수</translation>
    </message>
    <message>
        <source>LARS (Layer-wise Adaptive Rate Scaling) scales each layer&apos;s step by trust_coef × ‖w‖ / ‖g‖, so layers with small gradients still move and large batches stay stable. The trust ratios are drawn on the learning-rate plot.</source>
        <translation>LARS(층별 적응 학습률 조정)는 각 층의 보폭에 trust_coef × ‖w‖ / ‖g‖를 곱합니다. 기울기가 작은 층도 움직이고 큰 배치에서도 학습이 안정됩니다. 신뢰 비율은 학습률 그래프에 함께 그려집니다.</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>학습률 스케줄</translation>
    </message>
    <message>
        <source>How the learning rate changes over time: constant, or decaying (step, exponential, cosine...). A smaller rate late in training lets the loss settle into the minimum. Changing it needs a Reset.</source>
        <translation>학습률이 시간에 따라 어떻게 바뀌는지 정합니다. 일정하게 두거나(constant) 점점 줄일 수 있습니다(step, exponential, cosine 등). 학습 후반에 학습률을 줄이면 손실이 최솟값에 안착합니다. 바꾼 값은 초기화할 때 적용됩니다.</translation>
    </message>
    <message>
        <source>Warm-up epochs</source>
        <translation>워밍업 에포크</translation>
    </message>
    <message>
        <source>Epochs over which the learning rate ramps up from near zero. Large-batch training uses it to avoid an explosive start.</source>
        <translation>학습률을 0 근처에서 서서히 올리는 에포크 수입니다. 큰 배치 학습에서 초반에 발산하지 않도록 씁니다.</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Examples per update. The data is split into batches instead of used all at once; a larger batch means fewer, smoother updates per epoch. Too large can hurt accuracy because optimisation and generalisation get harder, and it interacts with the learning rate (LARS was made for this). Applies from the next epoch while training.</source>
        <translation>한 번의 업데이트에 쓰는 예제 수입니다. 데이터를 한꺼번에 쓰지 않고 여러 배치로 나누어 학습합니다. 배치가 크면 에포크당 업데이트 횟수가 줄고 더 매끄러워지지만, 너무 크면 최적화와 일반화가 어려워 정확도가 떨어질 수 있습니다. 학습률과도 얽혀 있어 LARS 같은 방법이 나왔습니다. 학습 중에는 다음 에포크부터 적용됩니다.</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>How many passes over the whole training set. One epoch = every example seen once. More epochs usually lower the training loss, but the model can overfit: watch the validation curve and the best-epoch marker. Applies immediately while training.</source>
        <translation>전체 학습 데이터를 몇 번 반복해서 볼지 정합니다. 1 에포크는 모든 예제를 한 번씩 본 것입니다. 에포크가 많으면 학습 손실은 대개 줄지만 과적합될 수 있으니 검증 곡선과 최고 에포크 표시를 보세요. 학습 중에도 바로 적용됩니다.</translation>
    </message>
    <message>
        <source>L1 penalty</source>
        <translation>L1 규제</translation>
    </message>
    <message>
        <source>Adds l1 × (sum of absolute weights) to the loss (Keras&apos;s L1; with an L2 penalty as well, L1L2). Each step pulls every weight towards zero by the same amount, whatever its size, so weights that matter little shrink to about zero: a sparse network that uses few connections. Applies from the next batch.</source>
        <translation>손실에 l1 × (가중치 절댓값의 합)을 더합니다(Keras의 L1, L2 규제도 함께 쓰면 L1L2). 매 단계 모든 가중치를 크기와 상관없이 같은 양만큼 0 쪽으로 당기므로, 별로 중요하지 않은 가중치는 거의 0이 됩니다. 연결을 적게 쓰는 희소한 네트워크가 됩니다. 다음 배치부터 적용됩니다.</translation>
    </message>
    <message>
        <source>L2 penalty</source>
        <translation>L2 규제</translation>
    </message>
    <message>
        <source>Adds l2 × (sum of squared weights) to the loss, pulling weights towards zero; a classic cure for overfitting. Applies from the next batch.</source>
        <translation>손실에 l2 × (가중치 제곱합)을 더해 가중치를 0 쪽으로 당깁니다. 과적합을 줄이는 고전적인 방법입니다. 다음 배치부터 적용됩니다.</translation>
    </message>
    <message>
        <source>Decay steps</source>
        <translation>감쇠 간격</translation>
    </message>
    <message>
        <source>Steps over which a decaying schedule shrinks the learning rate by the decay rate (step, exponential, inverse_time), or the length of the cosine decay.</source>
        <translation>감쇠 스케줄이 학습률을 감쇠율만큼 줄이는 데 걸리는 단계 수입니다(step, exponential, inverse_time). cosine에서는 감쇠 전체 길이입니다.</translation>
    </message>
    <message>
        <source>Decay rate</source>
        <translation>감쇠율</translation>
    </message>
    <message>
        <source>Factor the learning rate is multiplied by every decay-steps interval (0.5 halves it).</source>
        <translation>감쇠 간격마다 학습률에 곱하는 값입니다(0.5이면 절반이 됩니다).</translation>
    </message>
    <message>
        <source>Linear scaling</source>
        <translation>선형 스케일링</translation>
    </message>
    <message>
        <source>Multiply the learning rate by batch size / base batch size (32), the usual rule for keeping large-batch training comparable to small batches.</source>
        <translation>학습률에 배치 크기 / 기준 배치 크기(32)를 곱합니다. 큰 배치 학습을 작은 배치와 비슷하게 유지하는 흔한 규칙입니다.</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>조기 종료</translation>
    </message>
    <message>
        <source>Stop when the validation loss has not improved for this many epochs (0 = never). A direct answer to overfitting from too many epochs.</source>
        <translation>검증 손실이 이 에포크 수만큼 나아지지 않으면 학습을 멈춥니다(0은 사용 안 함). 에포크가 너무 많아 생기는 과적합에 대한 직접적인 처방입니다.</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Number format of weights and data: float64 (exact) or float32 (faster for large layers, what GPUs use).</source>
        <translation>가중치와 데이터의 숫자 형식입니다. float64(정확함) 또는 float32(큰 층에서 더 빠르며 GPU가 쓰는 형식)입니다.</translation>
    </message>
    <message>
        <source>New data</source>
        <translation>새 데이터</translation>
    </message>
    <message>
        <source>Draw a new sample of the dataset (next seed) and reset the model.</source>
        <translation>데이터셋을 새로 뽑고(다음 시드) 모델을 초기화합니다.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Start training (Space). While running it pauses; while paused it resumes.</source>
        <translation>학습을 시작합니다(Space). 학습 중에는 일시 정지, 정지 중에는 재개합니다.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>정지</translation>
    </message>
    <message>
        <source>Stop training (Esc). The model and curves stay; Start continues from here.</source>
        <translation>학습을 멈춥니다(Esc). 모델과 곡선은 그대로 남고, 시작을 누르면 이어서 학습합니다.</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>한 단계</translation>
    </message>
    <message>
        <source>Train exactly one batch, to watch a single update.</source>
        <translation>배치 하나만 학습해 한 번의 업데이트를 관찰합니다.</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>초기화</translation>
    </message>
    <message>
        <source>Build a new model with the current settings (Ctrl+R): fresh weights, empty curves. Pending changes (dataset, loss, layers...) take effect here.</source>
        <translation>현재 설정으로 새 모델을 만듭니다(Ctrl+R). 가중치를 새로 초기화하고 곡선을 지웁니다. 대기 중인 변경(데이터셋, 손실, 층 등)은 여기서 적용됩니다.</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>평활화</translation>
    </message>
    <message>
        <source>Exponential moving average of the batch loss, debiased like TensorBoard (0 = raw, 0.99 = very smooth). The faint curve is the raw loss.</source>
        <translation>배치 손실의 지수 이동 평균으로, TensorBoard처럼 초기 편향을 보정합니다(0은 원본, 0.99는 매우 부드러움). 흐린 곡선이 원본 손실입니다.</translation>
    </message>
    <message>
        <source>Log y</source>
        <translation>로그 y축</translation>
    </message>
    <message>
        <source>Logarithmic loss axis: equal ratios look equal, so slow progress late in training stays visible. Non-positive losses (cosine) are not drawn.</source>
        <translation>손실 축을 로그 눈금으로 그립니다. 같은 비율의 변화가 같은 크기로 보여 학습 후반의 느린 개선도 보입니다. 0 이하의 손실(cosine)은 그려지지 않습니다.</translation>
    </message>
    <message>
        <source>Batch loss</source>
        <translation>배치 손실</translation>
    </message>
    <message>
        <source>Loss of every mini-batch. Noisy because each batch is a different sample; vertical labelled lines mark live knob changes, light lines epoch starts.</source>
        <translation>미니배치마다의 손실입니다. 배치마다 다른 예제라 들쭉날쭉합니다. 이름이 붙은 세로선은 학습 중 바꾼 설정, 흐린 선은 에포크의 시작입니다.</translation>
    </message>
    <message>
        <source>Epoch loss</source>
        <translation>에포크 손실</translation>
    </message>
    <message>
        <source>Training vs validation loss after each epoch. The gap between them is overfitting; the marker shows the epoch with the lowest validation loss.</source>
        <translation>에포크마다의 학습 손실과 검증 손실입니다. 둘의 간격이 과적합의 정도이고, 표시는 검증 손실이 가장 낮은 에포크입니다.</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>Fraction of correctly classified examples, training and validation.</source>
        <translation>올바르게 분류한 예제의 비율(학습/검증)입니다.</translation>
    </message>
    <message>
        <source>Learning rate used at each batch (schedules, warm-up and live changes). For LARS and LAMB also each layer&apos;s trust ratio (right axis, logarithmic): the factor ‖w‖ / ‖g‖ (times the trust coefficient) by which that layer&apos;s step is scaled, so every layer moves by a similar fraction of its weights.</source>
        <translation>배치마다 사용한 학습률입니다(스케줄, 워밍업, 학습 중 변경). LARS와 LAMB는 층별 신뢰 비율도 함께 그립니다(오른쪽 로그 축): 그 층의 보폭에 곱하는 ‖w‖ / ‖g‖(신뢰 계수를 곱한 값)로, 모든 층이 가중치에 비해 비슷한 비율로 움직이게 합니다.</translation>
    </message>
    <message>
        <source>training seconds</source>
        <translation>학습 시간(초)</translation>
    </message>
    <message>
        <source>Data and model</source>
        <extracomment>A discretized regression surface: this many bands of equal width over the targets&apos; range. A discretized class region&apos;s colour: the class colour at this strength on white (the shading&apos;s strongest is 0.62; a little lighter keeps the points readable on it).</extracomment>
        <translation>데이터와 모델</translation>
    </message>
    <message>
        <source>What the model has learned: the decision surface behind the training (filled) and validation (ring) points, the fitted curve for 1-D regression, or a confusion matrix (rows true, columns predicted).</source>
        <translation>모델이 배운 내용입니다. 학습 점(채움)과 검증 점(고리) 뒤의 결정 경계, 1차원 회귀의 맞춘 곡선, 또는 혼동 행렬(행은 정답, 열은 예측)을 보여 줍니다.</translation>
    </message>
    <message>
        <source>Learning-rate range test</source>
        <translation>학습률 범위 테스트</translation>
    </message>
    <message>
        <source>A short trial run whose learning rate grows from 1e-7 to 10, batch by batch, while the smoothed loss is recorded. On the left the rate is too small and the loss barely moves; on the right it is too large and the loss explodes. A good rate lies where the loss falls steadily. Your model is not changed.</source>
        <translation>학습률을 배치마다 1e-7에서 10까지 키우며 평활화한 손실을 기록하는 짧은 시험 학습입니다. 왼쪽은 학습률이 너무 작아 손실이 거의 줄지 않고, 오른쪽은 너무 커서 손실이 폭발합니다. 손실이 꾸준히 줄어드는 구간의 학습률이 좋습니다. 현재 모델은 바뀌지 않습니다.</translation>
    </message>
    <message>
        <source>Crossentropy</source>
        <translation>교차 엔트로피</translation>
    </message>
    <message>
        <source>From information theory: a measure of the difference between two probability distributions. Training with it pulls the predicted distribution towards the true one.</source>
        <translation>정보 이론에서 온 개념으로, 두 확률 분포의 차이를 재는 척도입니다. 이것으로 학습하면 예측 분포가 실제 분포에 가까워집니다.</translation>
    </message>
    <message>
        <source>Hinge</source>
        <translation>힌지</translation>
    </message>
    <message>
        <source>The loss of support vector machines: it rewards a margin. An SVM looks for the boundary that stays as far as possible from the closest points of each class; use hinge losses for that kind of model.</source>
        <translation>서포트 벡터 머신(SVM)의 손실로, 여유(마진)를 줍니다. SVM은 각 클래스에서 가장 가까운 점들로부터 최대한 멀리 떨어진 경계를 찾습니다. 그런 모델을 원하면 hinge 계열 손실을 씁니다.</translation>
    </message>
    <message>
        <source>Sparse labels</source>
        <translation>희소 레이블</translation>
    </message>
    <message>
        <source>sparse_categorical_crossentropy takes the true class as one integer (0, 1, 2, 3...) instead of a one-hot row that is almost all zeros (a sparse row). It suits examples that belong to exactly one class; it is not more accurate than categorical_crossentropy, only lighter on memory and time.</source>
        <translation>sparse_categorical_crossentropy는 정답 클래스를 대부분이 0인 원-핫 행(희소 행) 대신 정수 하나(0, 1, 2, 3…)로 받습니다. 각 예제가 정확히 한 클래스에 속할 때 알맞습니다. categorical_crossentropy보다 정확도가 높아지지는 않고, 메모리와 시간을 아낄 뿐입니다.</translation>
    </message>
    <message>
        <source>Overfitting</source>
        <translation>과적합</translation>
    </message>
    <message>
        <source>The model fits the training examples, noise included, instead of the pattern behind them: training loss keeps falling while validation loss rises. Fewer epochs, more data, L2 or a smaller model help.</source>
        <translation>모델이 데이터 뒤의 규칙 대신 잡음까지 포함한 학습 예제 자체를 외우는 현상입니다. 학습 손실은 계속 줄지만 검증 손실은 올라갑니다. 에포크를 줄이거나 데이터를 늘리거나 L2 규제, 더 작은 모델이 도움이 됩니다.</translation>
    </message>
    <message>
        <source>Divergence</source>
        <translation>발산</translation>
    </message>
    <message>
        <source>The loss grows without bound until it is no longer a finite number. The usual cause is a learning rate too large for the problem: each step jumps past the minimum to a worse point. Lower the learning rate and Reset.</source>
        <translation>손실이 끝없이 커져 유한한 숫자가 아니게 되는 현상입니다. 보통 학습률이 문제에 비해 너무 커서 매 단계가 최솟값을 건너뛰어 더 나쁜 곳으로 가기 때문입니다. 학습률을 낮추고 초기화하세요.</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Pending until Reset: {fields}. Training goes on with the current model; press Reset (Ctrl+R) to build a new one with these settings.</source>
        <translation>초기화할 때 적용됨: {fields}. 학습은 지금 모델로 계속됩니다. 이 설정으로 새 모델을 만들려면 초기화(Ctrl+R)를 누르세요.</translation>
    </message>
    <message>
        <source>Cannot start with these settings: {reason}</source>
        <translation>이 설정으로는 시작할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>default</source>
        <translation>기본값</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>재개</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>계속</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>The menu bar&apos;s menus in order: (key, title, objectName).</extracomment>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>실행(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Plots</source>
        <extracomment>Below this height (px) per row, the shown rows leave a plot little data area (its title, x axis and a line or two of legend take 90-120 px): the instruments&apos; plots then join another row rather than take a third of the height (at 1440 x 900 the batch-size lesson&apos;s three rows left 123-138 px each, at 1024 x 640 10-19 px). ... if the row they join then holds no more than this many plots. Pixels between a plot and the controls above it.</extracomment>
        <translation>그래프</translation>
    </message>
    <message>
        <source>Open CSV…</source>
        <translation>CSV 열기…</translation>
    </message>
    <message>
        <source>Load Config…</source>
        <translation>설정 불러오기…</translation>
    </message>
    <message>
        <source>Save Config…</source>
        <translation>설정 저장…</translation>
    </message>
    <message>
        <source>Save Image…</source>
        <translation>이미지 저장…</translation>
    </message>
    <message>
        <source>Export History CSV…</source>
        <translation>학습 기록 CSV 내보내기…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <source>Copy Setup</source>
        <translation>설정 복사</translation>
    </message>
    <message>
        <source>Put the whole configuration on the clipboard: the headless command line and the JSON of main.py --config.</source>
        <translation>설정 전체를 클립보드에 복사합니다. 창 없이 학습하는 명령줄과 설정 파일의 JSON이 함께 들어갑니다.</translation>
    </message>
    <message>
        <source>Paste Setup</source>
        <translation>설정 붙여넣기</translation>
    </message>
    <message>
        <source>Apply a setup from the clipboard (a command line or a JSON config), whole or not at all, and build its model.</source>
        <translation>클립보드의 설정(명령줄 또는 JSON 설정)을 적용하고 그 모델을 만듭니다. 설정은 전부 적용되거나 하나도 적용되지 않습니다.</translation>
    </message>
    <message>
        <source>Glossary</source>
        <translation>용어집</translation>
    </message>
    <message>
        <source>About LossLab</source>
        <extracomment>The window&apos;s minimum size in pixels. Qt&apos;s own (881x462, from the widgets&apos; minimums) left the plots&apos; data areas 10-60 px tall, the legends cut off at the window&apos;s edge.</extracomment>
        <translation>LossLab 정보</translation>
    </message>
    <message>
        <source>Log-scale batch loss</source>
        <translation>배치 손실 로그 눈금</translation>
    </message>
    <message>
        <source>Find Learning Rate…</source>
        <translation>학습률 찾기…</translation>
    </message>
    <message>
        <source>Use suggested rate</source>
        <translation>제안된 학습률 사용</translation>
    </message>
    <message>
        <source>Suggested: {rate}, where the smoothed loss falls fastest inside the range where it falls ({low} to {high}, shaded). A trial run at this rate from the same weights lowered the loss.</source>
        <extracomment>The engine&apos;s reasons (``engine.lr_finder.REASONS``), worded for the dialog.</extracomment>
        <translation>제안: {rate}. 평활화한 손실이 줄어드는 구간({low}~{high}, 음영) 안에서 가장 빠르게 줄어드는 곳입니다. 같은 가중치에서 이 학습률로 시험 학습을 해 보니 손실이 줄었습니다.</translation>
    </message>
    <message>
        <source>Suggested: {rate}. The smoothed loss falls fastest at {steepest}, inside the range where it falls ({low} to {high}, shaded), but a trial run at that rate did not train: the loss keeps falling in the test for a few steps past the largest rate that trains. {rate} is where it falls fastest among the lower rates, and a trial run at it lowered the loss.</source>
        <translation>제안: {rate}. 평활화한 손실은 줄어드는 구간({low}~{high}, 음영) 안의 {steepest}에서 가장 빠르게 줄어들지만, 그 학습률로 시험 학습을 해 보니 학습되지 않았습니다. 이 테스트에서는 학습이 되는 가장 큰 학습률을 지난 뒤에도 몇 단계 동안 손실이 계속 줄어들기 때문입니다. {rate}은(는) 그보다 낮은 학습률 가운데 손실이 가장 빠르게 줄어드는 곳이고, 이 학습률로 시험 학습을 해 보니 손실이 줄었습니다.</translation>
    </message>
    <message>
        <source>No suggestion: the smoothed loss falls between {low} and {high} (shaded), but no trial run at a rate in that range lowered the loss. Try a smaller batch or another optimizer.</source>
        <translation>제안 없음: 평활화한 손실은 {low}와 {high} 사이(음영)에서 줄어들지만, 그 구간의 어떤 학습률로 시험 학습을 해도 손실이 줄지 않았습니다. 더 작은 배치나 다른 옵티마이저를 써 보세요.</translation>
    </message>
    <message>
        <source>No suggestion: the smoothed loss did not fall anywhere in the test. The model may be stuck on a plateau; try another seed or a smaller batch.</source>
        <translation>제안 없음: 테스트의 어느 구간에서도 평활화한 손실이 줄어들지 않았습니다. 모델이 평탄한 구간에 갇혀 있을 수 있습니다. 다른 시드나 더 작은 배치를 써 보세요.</translation>
    </message>
    <message>
        <source>No suggestion: the test stopped after {steps} steps, too few to tell.</source>
        <translation>제안 없음: 테스트가 {steps} 단계 만에 멈춰 판단하기에 너무 짧습니다.</translation>
    </message>
    <message>
        <source>No suggestion: the test was stopped before its trial run at {steepest}, where the smoothed loss falls fastest ({low} to {high}, shaded).</source>
        <translation>제안 없음: 평활화한 손실이 가장 빠르게 줄어드는 {steepest}에서 시험 학습을 하기 전에 테스트가 멈췄습니다(줄어드는 구간 {low}~{high}, 음영).</translation>
    </message>
    <message>
        <source>Running the learning-rate range test…</source>
        <translation>학습률 범위 테스트를 실행하는 중…</translation>
    </message>
    <message>
        <source>Initialiser</source>
        <translation>초기화 방법</translation>
    </message>
    <message>
        <source>Curvature</source>
        <translation>곡률</translation>
    </message>
    <message>
        <source>Sharpness: the largest curvature (top Hessian eigenvalue) of the training loss, measured during the run. Gradient descent is stable only while the sharpness stays below 2 / learning rate ((2 + 2 momentum) / rate with momentum): the dashed line. A run whose sharpness crosses it (marked x) oscillates or blows up; a live rate change moves the line. Not drawn for adaptive optimizers, whose limit is on a rescaled curvature.</source>
        <translation>날카로움: 훈련 손실의 가장 큰 곡률(헤세 행렬의 최대 고윳값)을 실행 중에 측정한 값. 경사 하강법은 날카로움이 2 / 학습률(모멘텀이 있으면 (2 + 2 모멘텀) / 학습률) 아래에 있을 때만 안정적입니다: 점선. 날카로움이 이 선을 넘는(x 표시) 실행은 진동하거나 발산합니다. 학습률을 실시간으로 바꾸면 선이 움직입니다. 적응형 옵티마이저는 한계가 크기를 조정한 곡률에 대한 것이라 그리지 않습니다.</translation>
    </message>
    <message>
        <source>Noise scale</source>
        <translation>노이즈 스케일</translation>
    </message>
    <message>
        <source>The gradient noise scale B_simple (log axis): how noisy one example&apos;s gradient is against the mean gradient. It predicts the critical batch size: a batch below it trains almost proportionally faster when made bigger; batch sizes in the shaded region above it spend samples for little gain. The line is the run&apos;s batch size. It usually grows as training goes on.</source>
        <translation>그래디언트 노이즈 스케일 B_simple(로그 축): 한 예제의 그래디언트가 평균 그래디언트에 비해 얼마나 잡음이 큰지. 임계 배치 크기를 예측합니다: 그보다 작은 배치는 키울수록 거의 비례해서 빨리 학습하고, 그 위의 음영 영역에 있는 배치 크기는 샘플을 써도 얻는 것이 적습니다. 선은 실행의 배치 크기입니다. 보통 학습이 진행될수록 커집니다.</translation>
    </message>
    <message>
        <source>Per-example losses</source>
        <translation>예제별 손실</translation>
    </message>
    <message>
        <source>How the training examples&apos; losses are spread, at the last measurement (bars) and at the start (grey outline): log-spaced bins and one for losses of exactly 0. Hinge-type losses put examples past the margin at exactly 0 (the legend gives their share); crossentropy never reaches 0. The mean loss hides all this.</source>
        <translation>훈련 예제들의 손실이 어떻게 퍼져 있는지, 마지막 측정(막대)과 시작 시점(회색 윤곽): 로그 간격 구간과 손실이 정확히 0인 구간. 힌지 계열 손실은 마진을 넘은 예제를 정확히 0에 놓습니다(범례에 그 비율); 교차 엔트로피는 0에 닿지 않습니다. 평균 손실은 이 모두를 가립니다.</translation>
    </message>
    <message>
        <source>Layer norms</source>
        <translation>층별 노름</translation>
    </message>
    <message>
        <source>For each weight array (W1 = first layer&apos;s kernel, b1 its biases): the norm of its weights |w|, of its gradient |g| and the fraction |update| / |w| by which one step moves it (log axis). When these differ by orders of magnitude between layers, one learning rate cannot suit them all: LARS&apos;s motivation, whose trust ratios (the learning-rate plot) rescale each layer&apos;s step.</source>
        <translation>각 가중치 배열(W1 = 첫 층의 커널, b1 그 편향)에 대해: 가중치의 노름 |w|, 그래디언트의 노름 |g|, 한 단계가 가중치를 움직이는 비율 |갱신| / |w| (로그 축). 이 값들이 층마다 몇 자릿수씩 다르면 하나의 학습률이 모든 층에 맞을 수 없습니다: LARS의 동기이며, 그 신뢰 비율(학습률 그래프)이 층마다 갱신 크기를 다시 조정합니다.</translation>
    </message>
    <message>
        <source>How the starting weights are drawn: Glorot suits tanh and sigmoid, He suits relu.</source>
        <translation>처음 가중치를 뽑는 방법입니다. Glorot는 tanh·sigmoid에, He는 relu에 알맞습니다.</translation>
    </message>
    <message>
        <source>Data seed</source>
        <translation>데이터 시드</translation>
    </message>
    <message>
        <source>Random seed of the data and its split; empty uses Seed. Change it to see another sample of the same problem.</source>
        <translation>데이터와 분할의 난수 시드입니다. 비워 두면 시드를 씁니다. 같은 문제의 다른 표본을 보려면 바꾸세요.</translation>
    </message>
    <message>
        <source>Weights seed</source>
        <translation>가중치 시드</translation>
    </message>
    <message>
        <source>Random seed of the initial weights; empty uses Seed. Change it alone to see how much a run depends on its start.</source>
        <translation>초기 가중치의 난수 시드입니다. 비워 두면 시드를 씁니다. 이것만 바꾸면 학습이 시작점에 얼마나 좌우되는지 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>From logits</source>
        <translation>로짓 입력</translation>
    </message>
    <message>
        <source>The model outputs raw scores (logits) and the loss applies sigmoid/softmax itself, as Keras&apos;s from_logits=True. With an explicit sigmoid output this applies it twice: a classic mistake.</source>
        <translation>모델이 원점수(로짓)를 내고 손실 함수가 sigmoid/softmax를 직접 적용합니다(Keras의 from_logits=True). 출력 활성화를 sigmoid로 정해 두면 두 번 적용되는 흔한 실수가 됩니다.</translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation>레이블 스무딩</translation>
    </message>
    <message>
        <source>Moves every target towards the uniform distribution by this fraction (0.1: a 1 becomes 0.95 for two classes), so the model stops pushing its scores to infinity.</source>
        <translation>모든 정답을 이 비율만큼 균등 분포 쪽으로 옮깁니다(0.1이면 두 클래스에서 1이 0.95가 됨). 모델이 점수를 무한히 키우지 않게 합니다.</translation>
    </message>
    <message>
        <source>AMSGrad</source>
        <translation>AMSGrad</translation>
    </message>
    <message>
        <source>Adam divides by the largest second-moment estimate seen so far, so its steps never grow again.</source>
        <translation>Adam이 지금까지 본 가장 큰 2차 모멘트 추정값으로 나누어 보폭이 다시 커지지 않게 합니다.</translation>
    </message>
    <message>
        <source>Centered</source>
        <translation>중심화</translation>
    </message>
    <message>
        <source>RMSprop divides by the gradient&apos;s variance instead of its mean square.</source>
        <translation>RMSprop이 기울기 제곱의 평균 대신 분산으로 나눕니다.</translation>
    </message>
    <message>
        <source>Nesterov</source>
        <translation>네스테로프</translation>
    </message>
    <message>
        <source>Momentum that looks ahead: the step uses where the momentum is about to carry the weights.</source>
        <translation>앞을 내다보는 모멘텀입니다. 모멘텀이 가중치를 옮겨 갈 곳을 보고 갱신 방향을 정합니다.</translation>
    </message>
    <message>
        <source>Exclude biases</source>
        <translation>편향 제외</translation>
    </message>
    <message>
        <source>LARS/Lamb: biases skip the trust ratio and weight decay, as most large-batch recipes do.</source>
        <translation>LARS/Lamb에서 편향은 신뢰 비율과 가중치 감쇠를 건너뜁니다. 대부분의 큰 배치 학습 방법이 이렇게 합니다.</translation>
    </message>
    <message>
        <source>Decay epochs</source>
        <translation>감쇠 에포크</translation>
    </message>
    <message>
        <source>The schedule&apos;s decay period in epochs, turned into steps for the batch size; off uses Decay steps.</source>
        <translation>스케줄의 감쇠 주기를 에포크로 정하며 배치 크기에 맞게 단계 수로 바뀝니다. 끄면 감쇠 단계 수를 씁니다.</translation>
    </message>
    <message>
        <source>Base batch size</source>
        <translation>기준 배치 크기</translation>
    </message>
    <message>
        <source>The batch size the learning rate was tuned for; linear scaling multiplies the rate by batch size / this.</source>
        <translation>학습률을 맞춘 기준 배치 크기입니다. 선형 스케일링은 학습률에 배치 크기 / 이 값을 곱합니다.</translation>
    </message>
    <message>
        <source>Restore best</source>
        <translation>최적 가중치 복원</translation>
    </message>
    <message>
        <source>When early stopping ends a run, go back to the weights of the epoch with the best validation loss.</source>
        <translation>조기 종료로 학습이 끝나면 검증 손실이 가장 좋았던 에포크의 가중치로 되돌립니다.</translation>
    </message>
    <message>
        <source>The four terms</source>
        <translation>네 가지 핵심 설정</translation>
    </message>
    <message>
        <source>Regularisation</source>
        <translation>규제</translation>
    </message>
    <message>
        <source>Quick list of learning rates, 0.00001 to 10 (as in TensorFlow Playground)</source>
        <translation>학습률 빠른 선택 목록, 0.00001부터 10까지 (텐서플로 플레이그라운드와 같음)</translation>
    </message>
    <message>
        <source>= seed</source>
        <translation>= 시드</translation>
    </message>
    <message>
        <source>off (steps)</source>
        <translation>끔 (단계)</translation>
    </message>
    <message>
        <source>until stopped</source>
        <translation>멈출 때까지</translation>
    </message>
    <message>
        <source>Train until you press Stop, with no epoch limit.</source>
        <translation>에포크 제한 없이 중지를 누를 때까지 학습합니다.</translation>
    </message>
    <message>
        <source>(uses {n} = all training rows)</source>
        <translation>({n} 사용 = 학습 데이터 전체)</translation>
    </message>
    <message>
        <source>next batch</source>
        <translation>다음 배치부터 적용</translation>
    </message>
    <message>
        <source>next epoch</source>
        <translation>다음 에포크부터 적용</translation>
    </message>
    <message>
        <source>now</source>
        <translation>바로 적용</translation>
    </message>
    <message>
        <source>e.g. 8, 8</source>
        <translation>예: 8, 8</translation>
    </message>
    <message>
        <source>✗ {reason}</source>
        <extracomment>The params with a control, in panel order (each has .field, .live, .object_name, ...). The article&apos;s four terms (the spec&apos;s section &quot;terms&quot;), in its order: one group at the top of the panel that never scrolls away. The sections open in a first session (later, each is as the user left it). TensorFlow Playground&apos;s learning rates, offered beside the exact entry. The batch size&apos;s word for &quot;every training row&quot; (as in sweeps). ``(section key, fields)`` in panel order, below the four terms: each control sits in its param&apos;s ``section``. Special texts of optional numbers, shown at the value below the minimum (ui_text keys).</extracomment>
        <translation>✗ {reason}</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;i&gt;live: {when}&lt;/i&gt;</source>
        <translation>&lt;br&gt;&lt;i&gt;학습 중에 바꾸면: {when}&lt;/i&gt;</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 이미지 (*.png);;SVG 벡터 그림 (*.svg)</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>smoothed loss</source>
        <translation>평활화한 손실</translation>
    </message>
    <message>
        <source>Save Image</source>
        <translation>이미지 저장</translation>
    </message>
    <message>
        <source>as on screen</source>
        <translation>화면 크기 그대로</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 픽셀</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>저장할 대상</translation>
    </message>
    <message>
        <source>PNG width</source>
        <translation>PNG 너비</translation>
    </message>
    <message>
        <source>The file extension chooses the format: .png or .svg.</source>
        <translation>파일 확장자(.png 또는 .svg)에 따라 형식이 정해집니다.</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Losses&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;손실 함수&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>The run has finished all its epochs: raise Epochs to go on, or Reset.</source>
        <extracomment>Fields a running trainer takes (the spec&apos;s ``live``), and when.</extracomment>
        <translation>정해진 에포크를 모두 마쳤습니다. 이어서 학습하려면 에포크를 늘리고, 처음부터 하려면 초기화하세요.</translation>
    </message>
    <message>
        <source>The suggested rate {rate:.3g} is outside the control&apos;s range ({low:g} to {high:g}); using {clamped:g}.</source>
        <translation>제안된 학습률 {rate:.3g}은(는) 입력 범위({low:g}~{high:g}) 밖이라 {clamped:g}을(를) 씁니다.</translation>
    </message>
    <message>
        <source>Cannot reset</source>
        <translation>초기화할 수 없습니다</translation>
    </message>
    <message>
        <source>layer {number}</source>
        <translation>{number}번째 층</translation>
    </message>
    <message>
        <source>array {number}</source>
        <translation>{number}번째 배열</translation>
    </message>
    <message>
        <source>{name} will apply at the next epoch.</source>
        <translation>{name}: 다음 에포크부터 적용됩니다.</translation>
    </message>
    <message>
        <source>{name} will apply at the next batch.</source>
        <translation>{name}: 다음 배치부터 적용됩니다.</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>학습이 발산했습니다</translation>
    </message>
    <message>
        <source>{message}

The curves up to that batch are kept. {advice}</source>
        <translation>{message}

그 배치까지의 곡선은 그대로 남아 있습니다. {advice}</translation>
    </message>
    <message>
        <source>Early stopping: the validation loss stopped improving.</source>
        <translation>조기 종료: 검증 손실이 더 이상 나아지지 않습니다.</translation>
    </message>
    <message>
        <source>Training finished.</source>
        <translation>학습을 마쳤습니다.</translation>
    </message>
    <message>
        <source>{what} {steps:,} steps in {duration}, {rate:,.0f} steps/s.</source>
        <translation>{what} {duration} 동안 {steps:,}단계, 초당 {rate:,.0f}단계.</translation>
    </message>
    <message>
        <source>Training error</source>
        <translation>학습 오류</translation>
    </message>
    <message>
        <source>epoch {epoch}/{epochs}</source>
        <translation>에포크 {epoch}/{epochs}</translation>
    </message>
    <message>
        <source>step {step:,}</source>
        <translation>단계 {step:,}</translation>
    </message>
    <message>
        <source>loss {loss:.4g}</source>
        <translation>손실 {loss:.4g}</translation>
    </message>
    <message>
        <source>loss –</source>
        <translation>손실 –</translation>
    </message>
    <message>
        <source>{rate:,.0f} steps/s</source>
        <translation>초당 {rate:,.0f}단계</translation>
    </message>
    <message>
        <source>– steps/s</source>
        <translation>초당 – 단계</translation>
    </message>
    <message>
        <source>ETA {duration}</source>
        <translation>남은 시간 {duration}</translation>
    </message>
    <message>
        <source>ETA –</source>
        <translation>남은 시간 –</translation>
    </message>
    <message>
        <source>took {duration}</source>
        <translation>걸린 시간 {duration}</translation>
    </message>
    <message>
        <source>Open Run</source>
        <translation>실행 열기</translation>
    </message>
    <message>
        <source>Open CSV</source>
        <translation>CSV 열기</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 파일 (*.csv);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Load Config</source>
        <translation>설정 불러오기</translation>
    </message>
    <message>
        <source>JSON config (*.json);;All files (*)</source>
        <translation>JSON 설정 파일 (*.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Cannot load config</source>
        <translation>설정을 불러올 수 없습니다</translation>
    </message>
    <message>
        <source>Cannot save config</source>
        <translation>설정을 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Save Config</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <source>JSON config (*.json)</source>
        <translation>JSON 설정 파일 (*.json)</translation>
    </message>
    <message>
        <source>Export History</source>
        <translation>학습 기록 내보내기</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting the history to {path}…</source>
        <translation>학습 기록을 내보내는 중: {path}…</translation>
    </message>
    <message>
        <source>Exported {rows:,} steps to {path}</source>
        <translation>{rows:,}단계의 기록을 내보냈습니다: {path}</translation>
    </message>
    <message>
        <source>Whole window</source>
        <translation>창 전체</translation>
    </message>
    <message>
        <source>Cannot save image</source>
        <translation>이미지를 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>저장했습니다: {path}</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LossLab&lt;/h3&gt;&lt;p&gt;Learn what the knobs of neural-network training do: the loss function, the batch size (and LARS), the number of epochs (and overfitting) and the learning rate (and divergence).&lt;/p&gt;&lt;p&gt;A NumPy training engine runs on a background thread; the plots update live while you turn the knobs.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LossLab&lt;/h3&gt;&lt;p&gt;신경망 학습의 손잡이들이 무슨 일을 하는지 직접 돌려 보며 배웁니다. 손실 함수, 배치 크기(와 LARS), 에포크 수(와 과적합), 학습률(과 발산)을 다룹니다.&lt;/p&gt;&lt;p&gt;NumPy로 만든 학습 엔진이 백그라운드 스레드에서 돌아가고, 설정을 바꾸는 동안 그래프가 실시간으로 갱신됩니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>원본</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>평활화</translation>
    </message>
    <message>
        <source>step {step}
loss {loss:.5g}
smoothed {smoothed:.5g}</source>
        <translation>단계 {step}
손실 {loss:.5g}
평활화 {smoothed:.5g}</translation>
    </message>
    <message>
        <source>train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>best epoch {best}</source>
        <translation>최고 에포크 {best}</translation>
    </message>
    <message>
        <source>epoch {epoch}
train {value:.5g}</source>
        <translation>에포크 {epoch}
학습 {value:.5g}</translation>
    </message>
    <message>
        <source>
validation {value:.5g}</source>
        <translation>
검증 {value:.5g}</translation>
    </message>
    <message>
        <source>trust ratio</source>
        <translation>신뢰 비율</translation>
    </message>
    <message>
        <source>step {step}
learning rate {rate:.4g}</source>
        <translation>단계 {step}
학습률 {rate:.4g}</translation>
    </message>
    <message>
        <source>
trust ratios {values}</source>
        <translation>
신뢰 비율 {values}</translation>
    </message>
    <message>
        <source>model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>예측 클래스</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>실제 클래스</translation>
    </message>
    <message>
        <source>true value</source>
        <translation>실제값</translation>
    </message>
    <message>
        <source>predicted value</source>
        <translation>예측값</translation>
    </message>
    <message>
        <source>true {true}, predicted {predicted}
{count} examples</source>
        <translation>실제 {true}, 예측 {predicted}
예제 {count}개</translation>
    </message>
    <message>
        <source>
model {value:.4g}</source>
        <translation>
모델 {value:.4g}</translation>
    </message>
    <message>
        <source>Validation points</source>
        <extracomment>The toggles&apos; texts (English; Korean in the catalogue).</extracomment>
        <translation>검증 데이터 점</translation>
    </message>
    <message>
        <source>Show the validation points (rings) over the model&apos;s picture; the filled ones are the training points.</source>
        <translation>모델 그림 위에 검증 데이터 점(고리 모양)을 표시합니다. 채워진 점은 학습 데이터입니다.</translation>
    </message>
    <message>
        <source>Discretize</source>
        <translation>경계만 표시</translation>
    </message>
    <message>
        <source>Draw each predicted class as one flat colour (a hard decision boundary) instead of shading by how confident the model is; a regression surface in flat bands.</source>
        <translation>모델의 확신 정도에 따른 음영 대신, 예측한 클래스마다 한 가지 색으로 칠해 결정 경계를 또렷하게 그립니다. 회귀 곡면은 몇 개의 평평한 띠로 나눠 그립니다.</translation>
    </message>
    <message>
        <source>predicted {name} (confidence {confidence:.2f})</source>
        <translation>예측: {name} (확신도 {confidence:.2f})</translation>
    </message>
    <message>
        <source>predicted {value:.4g}</source>
        <translation>예측값 {value:.4g}</translation>
    </message>
    <message>
        <source>target</source>
        <translation>정답값</translation>
    </message>
    <message>
        <source>X axis</source>
        <extracomment>ViewBoxMenu writes f&quot;{axis} {translate(&apos;ViewBox&apos;, &apos;axis&apos;)}&quot;; these are the whole titles</extracomment>
        <translation>X 축</translation>
    </message>
    <message>
        <source>Y axis</source>
        <translation>Y 축</translation>
    </message>
    <message>
        <source>Cannot apply the change</source>
        <extracomment>Hangul fallback font (SIL OFL 1.1, licence in the same folder). NanumGothic is the usual Korean UI face and the hinted TrueType one among the Nanum fonts, which keeps it sharp at 9-10 pt; regular only (4.7 MB): Qt synthesises bold, and hanja are not needed. Formatted results kept for relabelling (static strings are kept without limit: the catalogue bounds them); enough for every status field, marker and dialog text shown at once. Titles gui/worker.py sends in its Failed messages (shown through tr()).</extracomment>
        <translation>변경을 적용할 수 없습니다</translation>
    </message>
    <message>
        <source>Cannot export the history</source>
        <translation>학습 기록을 내보낼 수 없습니다</translation>
    </message>
    <message>
        <source>Open Run…</source>
        <translation>실행 열기…</translation>
    </message>
    <message>
        <source>Sweep…</source>
        <translation>스윕…</translation>
    </message>
    <message>
        <source>Train the model many times over a list of values of one setting (batch size, learning rate, …), with strategies and seeds, in worker processes; the runs race on the plots and each becomes a kept run.</source>
        <translation>설정 하나(배치 크기, 학습률 등)의 값 목록마다 모델을 여러 번 학습합니다. 전략과 시드를 곁들여 작업 프로세스에서 실행하고, 실행들은 그래프 위에서 경주하며 끝나면 각각 보관된 실행이 됩니다.</translation>
    </message>
    <message>
        <source>Export as Keras script…</source>
        <translation>Keras 스크립트로 내보내기…</translation>
    </message>
    <message>
        <source>Write a Python script that trains the same model with Keras 3 (same layers, loss, optimizer, schedule, batch size, epochs and data).</source>
        <translation>같은 모델을 Keras 3로 학습하는 파이썬 스크립트를 씁니다(층, 손실 함수, 옵티마이저, 스케줄, 배치 크기, 에포크, 데이터가 모두 같습니다).</translation>
    </message>
    <message>
        <source>Cannot start the sweep</source>
        <extracomment>Closing the window waits this long for a sweep&apos;s processes to stop before ending them.</extracomment>
        <translation>스윕을 시작할 수 없습니다</translation>
    </message>
    <message>
        <source>Cannot export the Keras script</source>
        <translation>Keras 스크립트를 내보낼 수 없습니다</translation>
    </message>
    <message>
        <source>Python script (*.py)</source>
        <translation>파이썬 스크립트 (*.py)</translation>
    </message>
    <message>
        <source>{path}: {problem}</source>
        <translation>{path}: {problem}</translation>
    </message>
    <message>
        <source>Wrote {script} and its data {data}. Run it with: python {name}</source>
        <translation>{script} 파일과 데이터 {data} 파일을 저장했습니다. 실행 방법: python {name}</translation>
    </message>
    <message>
        <source>Keras script exported</source>
        <translation>Keras 스크립트를 내보냈습니다</translation>
    </message>
    <message>
        <source>fixed learning rate</source>
        <extracomment>The strategies&apos; names on the check boxes and in the plot&apos;s legend.</extracomment>
        <translation>고정 학습률</translation>
    </message>
    <message>
        <source>linear scaling + warm-up</source>
        <translation>선형 스케일링 + 워밍업</translation>
    </message>
    <message>
        <source>LARS</source>
        <translation>LARS</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>final validation accuracy</source>
        <extracomment>The result plot&apos;s y label per metric.</extracomment>
        <translation>최종 검증 정확도</translation>
    </message>
    <message>
        <source>final validation loss</source>
        <translation>최종 검증 손실</translation>
    </message>
    <message>
        <source>Field</source>
        <extracomment>The form&apos;s row labels.</extracomment>
        <translation>항목</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Strategies</source>
        <translation>전략</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>시드 수</translation>
    </message>
    <message>
        <source>Sweep result</source>
        <translation>스윕 결과</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>발산</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>스윕</translation>
    </message>
    <message>
        <source>Comma-separated values (full = the whole training set for batch_size), or log:START:STOP:N for N log-spaced values.</source>
        <translation>쉼표로 구분한 값(batch_size에서 &apos;full&apos;은 학습 세트 전체), 또는 로그 간격으로 나눈 값 N개를 뜻하는 &apos;log:START:STOP:N&apos;.</translation>
    </message>
    <message>
        <source>Start sweep</source>
        <translation>스윕 시작</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Save results as CSV…</source>
        <translation>결과를 CSV로 저장…</translation>
    </message>
    <message>
        <source>Save plot image…</source>
        <translation>그래프 이미지 저장…</translation>
    </message>
    <message>
        <source>Choose at least one strategy.</source>
        <translation>전략을 하나 이상 고르세요.</translation>
    </message>
    <message>
        <source>{done}/{total} runs</source>
        <translation>{done}/{total}회</translation>
    </message>
    <message>
        <source>{done}/{total} runs, about {eta} left</source>
        <translation>{done}/{total}회, 약 {eta} 남음</translation>
    </message>
    <message>
        <source>Cancelled: {done} runs kept</source>
        <translation>취소됨: 끝난 {done}회 보관</translation>
    </message>
    <message>
        <source>Finished: {done} runs in {seconds:.1f} s</source>
        <translation>완료: {done}회, {seconds:.1f}초</translation>
    </message>
    <message>
        <source>{failed} of {total} runs failed; the finished runs are kept. {reason}</source>
        <translation>{total}회 중 {failed}회가 실패했습니다. 완료된 실행은 보관됩니다. {reason}</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s}초</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m}분 {s}초</translation>
    </message>
    <message>
        <source>Exporting {name}</source>
        <extracomment>What the label says while a file is written (``{name}``: the file&apos;s name).</extracomment>
        <translation>{name} 내보내는 중</translation>
    </message>
    <message>
        <source>Exporting the runs to {path}…</source>
        <translation>실행 기록을 내보내는 중: {path}…</translation>
    </message>
    <message>
        <source>Export cancelled; {path} is unchanged.</source>
        <translation>내보내기를 취소했습니다. {path} 파일은 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Cannot export the runs</source>
        <extracomment>How long stopping a fit waits for the worker to be idle (seconds).</extracomment>
        <translation>실행 기록을 내보낼 수 없습니다</translation>
    </message>
    <message>
        <source>This model needs about {memory} of memory ({parameters:,} parameters) and about {time} per 1,000 steps at full speed; it trains until stopped.</source>
        <translation>이 모델은 메모리가 약 {memory}(매개변수 {parameters:,}개) 필요하고, 최대 속도로 1,000단계마다 약 {time}이 걸립니다. 멈출 때까지 학습합니다.</translation>
    </message>
    <message>
        <source>This model needs about {memory} of memory ({parameters:,} parameters) and about {time} for its {steps:,} steps at full speed.</source>
        <translation>이 모델은 메모리가 약 {memory}(매개변수 {parameters:,}개) 필요하고, 최대 속도로 {steps:,}단계를 학습하는 데 약 {time}이 걸립니다.</translation>
    </message>
    <message>
        <source>Start or Reset builds it.</source>
        <translation>시작이나 초기화를 누르면 만듭니다.</translation>
    </message>
    <message>
        <source>Large model</source>
        <translation>큰 모델</translation>
    </message>
    <message>
        <source>Build it?</source>
        <translation>만들까요?</translation>
    </message>
    <message>
        <source>The large model was not built.</source>
        <translation>큰 모델을 만들지 않았습니다.</translation>
    </message>
    <message>
        <source>Target</source>
        <extracomment>Points per curve. What each kind of target offers: the losses that fit it, those selected at first, and the prediction range swept (regression: around the target). The x axes: the model&apos;s raw output (before the output activation), or the prediction. The raw output&apos;s sweep per kind of target (regression: around the target). The engine&apos;s task for each kind of target (regression losses made for counts: &quot;counts&quot;). Where a loss&apos;s formula is defined in the prediction (outside: not drawn). The explorer&apos;s texts (English; Korean in the catalogue).</extracomment>
        <translation>정답</translation>
    </message>
    <message>
        <source>binary: y = 0</source>
        <translation>이진: y = 0</translation>
    </message>
    <message>
        <source>binary: y = 1</source>
        <translation>이진: y = 1</translation>
    </message>
    <message>
        <source>3 classes: one-hot of class {k}</source>
        <translation>3개 클래스: 클래스 {k}의 원-핫</translation>
    </message>
    <message>
        <source>regression: y = number</source>
        <translation>회귀: y = 수치</translation>
    </message>
    <message>
        <source>Target value</source>
        <translation>정답 값</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>손실 함수</translation>
    </message>
    <message>
        <source>prediction ŷ</source>
        <translation>예측값 ŷ</translation>
    </message>
    <message>
        <source>raw output z (logit, margin)</source>
        <translation>원시 출력 z (로짓, 마진)</translation>
    </message>
    <message>
        <source>prediction ŷ (probability)</source>
        <translation>예측값 ŷ (확률)</translation>
    </message>
    <message>
        <source>raw output z: the logit; hinge&apos;s margin is t·z</source>
        <translation>원시 출력 z: 로짓이며, 힌지의 마진은 t·z</translation>
    </message>
    <message>
        <source>raw output z of the true class (the others 0)</source>
        <translation>정답 클래스의 원시 출력 z (나머지는 0)</translation>
    </message>
    <message>
        <source>raw prediction z</source>
        <translation>원시 예측값 z</translation>
    </message>
    <message>
        <source>gradient ∂L/∂z</source>
        <translation>기울기 ∂L/∂z</translation>
    </message>
    <message>
        <source>Each curve is the engine&apos;s loss against the model&apos;s raw output z, before any sigmoid or softmax: what the last layer computes. Below, its gradient ∂L/∂z, what backpropagation carries into the net: crossentropy&apos;s p − y never exceeds 1 in size; hinge&apos;s is a step, −1 until the margin reaches 1, then exactly 0; squared error&apos;s keeps growing with the distance.</source>
        <translation>각 곡선은 sigmoid나 softmax를 거치기 전, 마지막 층이 계산한 모델의 원시 출력 z에 대한 엔진의 손실입니다. 아래는 그 기울기 ∂L/∂z로, 역전파가 신경망 안으로 전하는 값입니다. 교차 엔트로피의 p − y는 크기가 1을 넘지 않고, 힌지의 기울기는 마진이 1에 이를 때까지 −1이다가 그 뒤로는 정확히 0인 계단이며, 제곱 오차의 기울기는 거리가 멀수록 계속 커집니다.</translation>
    </message>
    <message>
        <source>predicted probability of the true class</source>
        <translation>정답 클래스의 예측 확률</translation>
    </message>
    <message>
        <source>Loss for one prediction</source>
        <translation>예측 하나의 손실</translation>
    </message>
    <message>
        <source>Each curve is the engine&apos;s loss for a single prediction against the chosen target. Where the loss is flat (gradient 0) training stops pushing that point; where it is steep, a wrong prediction is pushed hard.</source>
        <translation>각 곡선은 고른 정답에 대해 예측값 하나가 받는 엔진의 손실입니다. 손실이 평평한 곳(기울기 0)에서는 학습이 그 점을 더 밀지 않고, 가파른 곳에서는 틀린 예측을 세게 밀어냅니다.</translation>
    </message>
    <message>
        <source>gradient descent (sgd)</source>
        <extracomment>The weight+bias model: a straight line fitted to sin(x), full batch. Where its path starts (weight, bias): away from the valley floor on both axes. The two-weights model: a plane fitted to ``plane``&apos;s points, full batch, bias held fixed. The second input is multiplied by this: its weight&apos;s curvature falls by its square (16x), which makes the valley long and narrow, the shape where the optimizers differ most. Inside the made-up surface&apos;s narrow basin, where its well is steep. The made-up surface&apos;s map: half its width, around the midpoint of its two basins. The optimizer choices: key -&gt; configuration fields.</extracomment>
        <translation>경사 하강법 (sgd)</translation>
    </message>
    <message>
        <source>sgd + momentum 0.9</source>
        <translation>sgd + 모멘텀 0.9</translation>
    </message>
    <message>
        <source>adam</source>
        <translation>adam</translation>
    </message>
    <message>
        <source>rmsprop</source>
        <translation>rmsprop</translation>
    </message>
    <message>
        <source>weight and bias: y = w·x + b on sine</source>
        <extracomment>The path counts as gone once it is this many map widths from the centre. The arrows at the current point: minus the gradient, and gradient descent&apos;s step.</extracomment>
        <translation>가중치와 편향: sine 데이터의 y = w·x + b</translation>
    </message>
    <message>
        <source>weight w</source>
        <translation>가중치 w</translation>
    </message>
    <message>
        <source>bias b</source>
        <translation>편향 b</translation>
    </message>
    <message>
        <source>Colours are the loss (darker = lower, bands on a log scale). Each dot is one step: the learning rate times minus the gradient. For gradient descent on this data the largest stable rate is about 0.3: try 0.1, 0.28 and 0.32.</source>
        <translation>색은 손실입니다(어두울수록 낮고, 띠는 로그 눈금). 점 하나가 한 단계이며, 그 크기는 학습률 곱하기 기울기의 반대 방향입니다. 이 데이터에서 경사 하강법이 안정적으로 쓸 수 있는 가장 큰 학습률은 약 0.3입니다. 0.1, 0.28, 0.32를 차례로 넣어 보세요.</translation>
    </message>
    <message>
        <source>gradient descent, small rate (0.05): straight downhill</source>
        <translation>경사 하강법, 작은 학습률 (0.05): 곧장 내리막으로</translation>
    </message>
    <message>
        <source>gradient descent near the limit (0.28): zig-zag</source>
        <translation>한계 가까운 경사 하강법 (0.28): 지그재그</translation>
    </message>
    <message>
        <source>momentum 0.9 (0.05): overshoots and swings back</source>
        <translation>모멘텀 0.9 (0.05): 지나쳤다가 되돌아옴</translation>
    </message>
    <message>
        <source>adam (0.1): equal steps per coordinate</source>
        <translation>adam (0.1): 좌표마다 같은 보폭</translation>
    </message>
    <message>
        <source>gradient descent too large (0.32): leaves the map</source>
        <translation>너무 큰 경사 하강법 (0.32): 지도 밖으로 나감</translation>
    </message>
    <message>
        <source>two weights, bias fixed: y = w1·x1 + w2·x2 + b on plane</source>
        <translation>가중치 두 개, 편향 고정: plane 데이터의 y = w1·x1 + w2·x2 + b</translation>
    </message>
    <message>
        <source>weight w1</source>
        <translation>가중치 w1</translation>
    </message>
    <message>
        <source>weight w2</source>
        <translation>가중치 w2</translation>
    </message>
    <message>
        <source>The second input is shrunk to a quarter, so the valley is 16 times less curved along w2 than along w1: a long, narrow valley. Gradient descent is stable up to a rate of about 2.8 (set by the steep w1 axis) yet crawls along w2; momentum overshoots along w1 and gains speed along w2; Adam steps about as far along both axes.</source>
        <translation>두 번째 입력을 4분의 1로 줄였기 때문에 골짜기가 w1 방향보다 w2 방향으로 16배 덜 휘어 있습니다. 길고 좁은 골짜기입니다. 경사 하강법은 가파른 w1 축 때문에 학습률 약 2.8까지만 안정적이고, w2 방향으로는 기어가듯 느립니다. 모멘텀은 w1 방향으로 지나치고 w2 방향으로는 속도를 붙이며, Adam은 두 축으로 거의 같은 거리만큼 걷습니다.</translation>
    </message>
    <message>
        <source>gradient descent, small rate (1.0): no overshoot, slow along w2</source>
        <translation>경사 하강법, 작은 학습률 (1.0): 지나침 없이 w2 방향으로 느림</translation>
    </message>
    <message>
        <source>gradient descent near the limit (2.7): zig-zag across the valley</source>
        <translation>한계 가까운 경사 하강법 (2.7): 골짜기를 가로지르는 지그재그</translation>
    </message>
    <message>
        <source>momentum 0.9 (0.3): overshoots the valley floor</source>
        <translation>모멘텀 0.9 (0.3): 골짜기 바닥을 지나침</translation>
    </message>
    <message>
        <source>gradient descent too large (3.0): leaves the map</source>
        <translation>너무 큰 경사 하강법 (3.0): 지도 밖으로 나감</translation>
    </message>
    <message>
        <source>two basins: a made-up surface, not a model&apos;s loss</source>
        <translation>골짜기 두 개: 모델의 손실이 아니라 만든 곡면</translation>
    </message>
    <message>
        <source>number p1</source>
        <translation>수 p1</translation>
    </message>
    <message>
        <source>number p2</source>
        <translation>수 p2</translation>
    </message>
    <message>
        <source>A made-up loss with two basins, and the path</source>
        <translation>골짜기가 두 개인 만든 손실과 경로</translation>
    </message>
    <message>
        <source>Not a network&apos;s loss: the lessons&apos; models have no second basin (the plane&apos;s valley is convex; on xor a small and a large rate end at the same loss). Drawn to show how a rate can decide where a path ends: the narrow basin near the start curves about 12 (limit 2/12 ≈ 0.16), the wide one 0.3. A rate of 0.05 settles in the narrow, worse basin; 0.3 is too large for it and goes on to the deep one (from each of 10 starts in the narrow basin).</source>
        <translation>신경망의 손실이 아닙니다. 수업의 모델에는 두 번째 골짜기가 없습니다(평면의 골짜기는 볼록하고, xor에서는 작은 학습률과 큰 학습률이 같은 손실에서 끝납니다). 학습률이 경로가 끝나는 곳을 정하는 경우를 보이려고 만든 곡면입니다. 시작점 가까운 좁은 골짜기의 곡률은 약 12(한계 2/12 ≈ 0.16), 넓은 골짜기의 곡률은 0.3입니다. 학습률 0.05는 좁고 더 나쁜 골짜기에 자리 잡고, 0.3은 그 골짜기에 비해 너무 커서 깊은 골짜기로 넘어갑니다(좁은 골짜기 안의 시작점 10곳 모두에서).</translation>
    </message>
    <message>
        <source>gradient descent, small rate (0.05): stuck in the near basin</source>
        <translation>경사 하강법, 작은 학습률 (0.05): 가까운 골짜기에 갇힘</translation>
    </message>
    <message>
        <source>gradient descent, larger rate (0.3): leaves it for the deep basin</source>
        <translation>경사 하강법, 더 큰 학습률 (0.3): 깊은 골짜기로 넘어감</translation>
    </message>
    <message>
        <source>adam (0.1): stays in the near basin</source>
        <translation>adam (0.1): 가까운 골짜기에 머묾</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>보기</translation>
    </message>
    <message>
        <source>(choose a demonstration)</source>
        <translation>(시연을 고르세요)</translation>
    </message>
    <message>
        <source>Steps per second</source>
        <translation>초당 단계 수</translation>
    </message>
    <message>
        <source>Back to start</source>
        <translation>처음으로</translation>
    </message>
    <message>
        <source>step {step}: loss {loss}, {first} = {a}, {second} = {b}</source>
        <translation>{step}단계: 손실 {loss}, {first} = {a}, {second} = {b}</translation>
    </message>
    <message>
        <source>The path left the map at step {step}: this learning rate is too large for the valley, each step lands higher up the other side (divergence).</source>
        <translation>{step}단계에서 경로가 지도 밖으로 나갔습니다. 이 골짜기에 비해 학습률이 너무 커서 단계마다 반대편의 더 높은 곳에 떨어집니다(발산).</translation>
    </message>
    <message>
        <source>−∇L (downhill), length {length}</source>
        <translation>−∇L (내리막), 길이 {length}</translation>
    </message>
    <message>
        <source>step η·(−∇L), η = {rate}: length {length}</source>
        <translation>한 단계 η·(−∇L), η = {rate}: 길이 {length}</translation>
    </message>
    <message>
        <source>gradient ∂L/∂ŷ</source>
        <translation>기울기 ∂L/∂ŷ</translation>
    </message>
    <message>
        <source>What to watch</source>
        <extracomment>The panel&apos;s texts (English; Korean in the catalogue).</extracomment>
        <translation>지켜볼 점</translation>
    </message>
    <message>
        <source>A question</source>
        <translation>생각해 볼 질문</translation>
    </message>
    <message>
        <source>Try next</source>
        <translation>다음에 해 볼 것</translation>
    </message>
    <message>
        <source>Runs: each button sets the controls and starts</source>
        <translation>실행: 버튼을 누르면 설정을 바꾸고 학습을 시작합니다</translation>
    </message>
    <message>
        <source>Running: {step}</source>
        <translation>실행 중: {step}</translation>
    </message>
    <message>
        <source>{step}: {outcome}, kept for comparison</source>
        <translation>{step}: {outcome}, 비교용으로 보관했습니다</translation>
    </message>
    <message>
        <source>{step}: diverged at step {at}, as this step is meant to: the rate is past what the loss&apos;s curvature allows, so each update overshoots further. Kept for comparison.</source>
        <translation>{step}: 의도한 대로 {at}단계에서 발산했습니다. 학습률이 손실의 곡률이 허용하는 한계를 넘어서 매 업데이트가 점점 더 멀리 지나칩니다. 비교용으로 보관했습니다.</translation>
    </message>
    <message>
        <source>{step}: {outcome}, not kept</source>
        <translation>{step}: {outcome}, 보관하지 않음</translation>
    </message>
    <message>
        <source>Pace: {pace} steps per second</source>
        <translation>속도: 초당 {pace}단계</translation>
    </message>
    <message>
        <source>Pace: full speed</source>
        <translation>속도: 최고 속도</translation>
    </message>
    <message>
        <source>Lesson files not loaded</source>
        <translation>불러오지 못한 수업 파일</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Copy this step&apos;s setup: the headless command line and its JSON (Edit &gt; Paste Setup applies it)</source>
        <translation>이 단계의 설정을 복사합니다. 창 없이 학습하는 명령줄과 그 JSON입니다(편집 &gt; 설정 붙여넣기로 적용합니다)</translation>
    </message>
    <message>
        <source>{step}: setup copied (the command line and its JSON)</source>
        <translation>{step}: 설정을 복사했습니다(명령줄과 그 JSON)</translation>
    </message>
    <message>
        <source>finished</source>
        <extracomment>How a lesson step&apos;s run ended, as the status line says it.
----------
Outcomes by key, as shown (English sources).</extracomment>
        <translation>완료</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>조기 종료</translation>
    </message>
    <message>
        <source>stopped by you</source>
        <translation>사용자가 멈춤</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Loss explorer</source>
        <translation>손실 함수 탐색기</translation>
    </message>
    <message>
        <source>Loss Landscape</source>
        <translation>손실 지형</translation>
    </message>
    <message>
        <source>The loss surface of a model with two numbers and the optimizer&apos;s path over it, step by step</source>
        <translation>숫자 두 개짜리 모델의 손실 곡면과, 그 위를 한 단계씩 지나가는 옵티마이저의 경로</translation>
    </message>
    <message>
        <source>Loss Explorer</source>
        <translation>손실 함수 탐색기</translation>
    </message>
    <message>
        <source>Each loss and its gradient for one prediction, against a target you choose</source>
        <translation>고른 정답에 대해 예측값 하나가 받는 손실 함수별 손실과 기울기</translation>
    </message>
    <message>
        <source>Plain gradient descent: each weight moves by the learning rate times minus its gradient.</source>
        <translation>기본 경사 하강법입니다. 가중치마다 학습률 곱하기 기울기의 반대 방향만큼 움직입니다.</translation>
    </message>
    <message>
        <source>SGD with momentum 0.9: a running sum of past steps, so it speeds up along shallow valleys and overshoots across steep ones.</source>
        <translation>모멘텀 0.9의 SGD입니다. 지난 단계들을 누적해 더하므로 완만한 골짜기를 따라서는 빨라지고, 가파른 골짜기를 가로질러서는 지나칩니다.</translation>
    </message>
    <message>
        <source>Momentum that looks ahead: the gradient is taken where the momentum is about to carry the weights, which damps the overshoot.</source>
        <translation>앞을 내다보는 모멘텀입니다. 모멘텀이 가중치를 데려갈 곳에서 기울기를 구하므로 지나침이 줄어듭니다.</translation>
    </message>
    <message>
        <source>Divides each weight&apos;s step by a running average of its squared gradients, so steep and flat directions move at a similar pace.</source>
        <translation>가중치마다 보폭을 기울기 제곱의 이동 평균으로 나눕니다. 그래서 가파른 방향과 평평한 방향이 비슷한 속도로 움직입니다.</translation>
    </message>
    <message>
        <source>Momentum plus RMSprop&apos;s per-weight scaling, with a bias correction for the first steps; a robust default at rates near 0.001-0.01.</source>
        <translation>모멘텀에 RMSprop의 가중치별 보폭 조절을 더하고, 처음 몇 단계의 편향을 보정합니다. 학습률 0.001~0.01 근처에서 무난한 기본 선택입니다.</translation>
    </message>
    <message>
        <source>Adam with weight decay applied to the weights directly, not through the gradient.</source>
        <translation>가중치 감쇠를 기울기를 거치지 않고 가중치에 직접 적용하는 Adam입니다.</translation>
    </message>
    <message>
        <source>Divides each step by the root of all squared gradients so far: steps only ever shrink, fast at first, then slower.</source>
        <translation>보폭을 지금까지 모든 기울기 제곱의 합의 제곱근으로 나눕니다. 보폭은 줄어들기만 하므로 처음에는 빠르고 갈수록 느려집니다.</translation>
    </message>
    <message>
        <source>Adam&apos;s update scaled per layer by a trust ratio (weight norm over update norm), made for very large batches.</source>
        <translation>Adam의 업데이트를 층마다 신뢰 비율(가중치 노름 나누기 업데이트 노름)로 조절합니다. 아주 큰 배치를 위해 만들어졌습니다.</translation>
    </message>
    <message>
        <source>SGD with momentum whose step is scaled per layer by a trust ratio (weight norm over gradient norm), made for very large batches.</source>
        <translation>모멘텀 SGD의 보폭을 층마다 신뢰 비율(가중치 노름 나누기 기울기 노름)로 조절합니다. 아주 큰 배치를 위해 만들어졌습니다.</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Optimizers&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;옵티마이저&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Lesson “{lesson}”: its step “{step}” shows {name}. Press it to run.</source>
        <translation>수업 “{lesson}”: “{step}” 단계가 {name}을(를) 보여 줍니다. 그 버튼을 눌러 실행하세요.</translation>
    </message>
    <message>
        <source>Lesson “{lesson}” opened: its steps show {term}.</source>
        <translation>수업 “{lesson}”을(를) 열었습니다. 각 단계가 {term}을(를) 보여 줍니다.</translation>
    </message>
    <message>
        <source>Try it: loss {name} on {dataset}, with the suggested settings for {dataset}. Press Start to train.</source>
        <translation>직접 해 보기: {dataset}의 추천 설정에 손실 함수 {name}을(를) 적용했습니다. 시작을 눌러 학습하세요.</translation>
    </message>
    <message>
        <source>Try it: optimizer {name} at learning rate {rate} on {dataset}, with the suggested settings for {dataset}. Press Start to train.</source>
        <translation>직접 해 보기: {dataset}의 추천 설정에 옵티마이저 {name}(학습률 {rate})을(를) 적용했습니다. 시작을 눌러 학습하세요.</translation>
    </message>
    <message>
        <source>Try it</source>
        <extracomment>The scheme of the &quot;Try it&quot; links: ``try:KIND:NAME``.</extracomment>
        <translation>직접 해 보기</translation>
    </message>
    <message>
        <source>Training loss of y = w·x + b, and the optimizer&apos;s path</source>
        <translation>y = w·x + b의 학습 손실과 옵티마이저의 경로</translation>
    </message>
    <message>
        <source>Training loss of y = w1·x1 + w2·x2 + b (b fixed), and the path</source>
        <translation>y = w1·x1 + w2·x2 + b(b 고정)의 학습 손실과 경로</translation>
    </message>
    <message>
        <source>Its gradient: what training follows</source>
        <translation>그 기울기: 학습이 따라가는 경사</translation>
    </message>
    <message>
        <source>shown</source>
        <extracomment>The run table&apos;s column headers (English sources, shown through tr).</extracomment>
        <translation>표시</translation>
    </message>
    <message>
        <source>run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>train loss</source>
        <translation>학습 손실</translation>
    </message>
    <message>
        <source>val loss</source>
        <translation>검증 손실</translation>
    </message>
    <message>
        <source>train acc</source>
        <translation>학습 정확도</translation>
    </message>
    <message>
        <source>val acc</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <source>best epoch</source>
        <translation>최고 에포크</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>steps/s</source>
        <translation>단계/초</translation>
    </message>
    <message>
        <source>outcome</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>layers</source>
        <translation>층</translation>
    </message>
    <message>
        <source>val</source>
        <translation>검증 비율</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>샘플</translation>
    </message>
    <message>
        <source>full batch ({rows})</source>
        <extracomment>A batch of every training row (&quot;full batch (1438)&quot;).</extracomment>
        <translation>전체 배치 ({rows})</translation>
    </message>
    <message>
        <source>none</source>
        <extracomment>Hidden layers: none (a linear model).</extracomment>
        <translation>없음</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>정지됨</translation>
    </message>
    <message>
        <source>early stopping</source>
        <translation>조기 종료</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>준비</translation>
    </message>
    <message>
        <source>running</source>
        <translation>학습 중</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>diverged at step {step}</source>
        <translation>{step}단계에서 발산</translation>
    </message>
    <message>
        <source>batch</source>
        <extracomment>The word a label names a field by (&quot;batch 512 · lr 0.1&quot;); other fields by their own name.</extracomment>
        <translation>배치</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>wd</source>
        <translation>가중치 감쇠</translation>
    </message>
    <message>
        <source>patience</source>
        <translation>patience</translation>
    </message>
    <message>
        <source>+{count} more (see Runs)</source>
        <translation>외 {count}개 (실행 목록 참고)</translation>
    </message>
    <message>
        <source>Some kept runs could not be read: {problems}</source>
        <extracomment>The pace control&apos;s choices in steps per second; None trains at full speed (&quot;max&quot;).</extracomment>
        <translation>보관한 실행 일부를 읽을 수 없습니다: {problems}</translation>
    </message>
    <message>
        <source>{path} is a file, not a folder: kept runs are saved in {fallback} instead</source>
        <extracomment>The folder used when the store&apos;s own path is taken by a file. How long a write waits for another instance&apos;s transaction before giving up. Temporaries of the old store&apos;s atomic writes (``.run-3.npz.x1y2.tmp.npz``) older than this are left by a kill and removed at load; younger ones may belong to an old version running. SQLite&apos;s page size for a new database (its largest). The size the WAL file is cut back to after a checkpoint. How often a write that waits for another connection&apos;s transaction asks whether to go on. Bytes of a run&apos;s arrays written at a time when a run is streamed into its row (:meth:`KeptStore.add`): the memory that takes, and how soon a cancel is seen. SQLite errors that mean &quot;busy or unavailable now&quot;, not &quot;this file is damaged&quot;. ``data`` is the last column: SQLite writes a ``zeroblob`` there without making it (:meth:`KeptStore._stream`); anywhere else it builds the row in memory, twice the run&apos;s bytes (a 10M-step run: 960 MB). Every statement names its columns, so a database made with the earlier order (``data`` before ``data_crc``) is read and written alike. A row as :func:`_row` makes it and :meth:`KeptStore._decode` reads it. A row whose arrays are written afterwards, in place (:meth:`KeptStore._stream`). Its row&apos;s number in the database (names it in problems); 0 until saved. Its instrument measurements by column (``step``, ``epoch`` and one array per measured value, all of one length; ``{}``: none). uids this instance loaded or wrote: the only rows its sync may delete.</extracomment>
        <translation>{path}은(는) 폴더가 아니라 파일입니다. 보관한 실행은 대신 {fallback}에 저장합니다</translation>
    </message>
    <message>
        <source>Cannot use the folder {path}: {error}</source>
        <translation>{path} 폴더를 사용할 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Cannot read the kept runs in {path}: {error}</source>
        <translation>{path}의 보관한 실행을 읽을 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Kept run {name} was skipped: {error}</source>
        <translation>보관한 실행 {name}을(를) 건너뛰었습니다: {error}</translation>
    </message>
    <message>
        <source>The kept-run database could not be read ({error}); it was kept as {path} and {count} runs were recovered from it</source>
        <translation>보관한 실행 데이터베이스를 읽을 수 없습니다({error}). 파일은 {path}(으)로 보존했고, 그 안에서 실행 {count}개를 복구했습니다</translation>
    </message>
    <message>
        <source>Kept run {name} was skipped and left in place: {error}</source>
        <translation>보관한 실행 {name}을(를) 건너뛰고 그 자리에 그대로 두었습니다: {error}</translation>
    </message>
    <message>
        <source>{name} is not listed in a readable {index}; it was left in place</source>
        <translation>{name}은(는) 읽을 수 있는 {index}에 들어 있지 않아 그 자리에 그대로 두었습니다</translation>
    </message>
    <message>
        <source>Cannot save the kept runs in {path}: {error}</source>
        <translation>{path}에 보관한 실행을 저장할 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>{path} could not be read ({error}); it and its runs were left in place</source>
        <translation>{path}을(를) 읽을 수 없습니다({error}). 이 파일과 그 실행들은 그 자리에 그대로 두었습니다</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>신경망</translation>
    </message>
    <message>
        <source>The model itself: inputs, hidden layers and outputs as columns of neurons. Each neuron&apos;s picture is its output over the data view&apos;s plane (for digits, a first-layer neuron&apos;s 64 weights as an 8x8 image; otherwise the histogram of its outputs). Lines are weights: blue positive, orange negative, thicker when larger. Big layers show their strongest neurons and &quot;+N&quot; for the rest; a neuron with many inputs draws its strongest connections. Hover for values, click a neuron to see its picture large.</source>
        <translation>모델 그 자체입니다. 입력, 은닉층, 출력이 뉴런의 열로 그려집니다. 뉴런마다 그림은 데이터 보기 평면 위에서 그 뉴런이 내는 출력입니다(digits에서는 첫 층 뉴런의 가중치 64개를 8x8 이미지로, 그 밖에는 출력의 히스토그램으로 보입니다). 선은 가중치입니다. 파란색은 양수, 주황색은 음수이고 클수록 굵습니다. 큰 층은 가장 강한 뉴런만 보이고 나머지는 &quot;+N&quot;으로 셉니다. 입력이 많은 뉴런은 가장 강한 연결만 그립니다. 마우스를 올리면 값이 보이고, 뉴런을 클릭하면 그 그림이 크게 보입니다.</translation>
    </message>
    <message>
        <source>Input</source>
        <extracomment>Largest side of a neuron&apos;s picture on screen, and the smallest. Line widths in pixels of the width classes (Playground: 1 to 10 px for |w| up to 5), for neurons of FULL_WIDTH_SIDE pixels or more; smaller neurons get thinner lines, so the lines do not bury the pictures of a large net in a small view. How close (pixels) the cursor must be to a connection beyond half its width to hover it. Opacity of the connections: crossings stay readable, and a line over a neuron&apos;s frame too.</extracomment>
        <translation>입력</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Hidden {number}</source>
        <translation>은닉층 {number}</translation>
    </message>
    <message>
        <source>Weight {weight:.4g}: {source} neuron {i} → {target} neuron {j}</source>
        <translation>가중치 {weight:.4g}: {source} 뉴런 {i} → {target} 뉴런 {j}</translation>
    </message>
    <message>
        <source>{layer} neuron {number}</source>
        <translation>{layer} 뉴런 {number}</translation>
    </message>
    <message>
        <source>{name}: mean {mean:.3g}, from {low:.3g} to {high:.3g}</source>
        <translation>{name}: 평균 {mean:.3g}, 범위 {low:.3g} ~ {high:.3g}</translation>
    </message>
    <message>
        <source>{name}: weight {weight:.3g} from pixel ({row}, {column})</source>
        <translation>{name}: 픽셀 ({row}, {column})에서 오는 가중치 {weight:.3g}</translation>
    </message>
    <message>
        <source>{name}: {value:.3g} at x = {x:.3g}</source>
        <translation>{name}: x = {x:.3g}에서 {value:.3g}</translation>
    </message>
    <message>
        <source>{name}: {value:.3g} at ({x:.2f}, {y:.2f})</source>
        <translation>{name}: ({x:.2f}, {y:.2f})에서 {value:.3g}</translation>
    </message>
    <message>
        <source>{readout}; bias {bias:.3g}</source>
        <translation>{readout}; 편향 {bias:.3g}</translation>
    </message>
    <message>
        <source>{count} more neurons; shown are the {shown} with the largest weights</source>
        <translation>뉴런 {count}개 더 있음. 가중치가 가장 큰 {shown}개를 보여 줍니다</translation>
    </message>
    <message>
        <source>The kept runs in {path} cannot be saved ({error}); those that can be read are shown</source>
        <translation>{path}의 보관한 실행을 저장할 수 없습니다({error}). 읽을 수 있는 실행은 표시합니다</translation>
    </message>
    <message>
        <source>parameter array</source>
        <translation>매개변수 배열</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>노름</translation>
    </message>
    <message>
        <source>|w|</source>
        <translation>|w|</translation>
    </message>
    <message>
        <source>|g|</source>
        <translation>|g|</translation>
    </message>
    <message>
        <source>|update| / |w|</source>
        <translation>|갱신| / |w|</translation>
    </message>
    <message>
        <source>{array} (epoch {epoch})
|w| {weight:.3g}
|g| {gradient:.3g}
|update| / |w| {ratio:.3g}</source>
        <translation>{array} (에포크 {epoch})
|w| {weight:.3g}
|g| {gradient:.3g}
|갱신| / |w| {ratio:.3g}</translation>
    </message>
    <message>
        <source>share of examples</source>
        <translation>예제 비율</translation>
    </message>
    <message>
        <source>start</source>
        <translation>처음</translation>
    </message>
    <message>
        <source>epoch {epoch}: {share:.1%} exactly 0</source>
        <translation>에포크 {epoch}: {share:.1%} 정확히 0</translation>
    </message>
    <message>
        <source>exactly 0</source>
        <translation>정확히 0</translation>
    </message>
    <message>
        <source>loss {where}
{share:.1%} of examples (epoch {epoch})</source>
        <translation>손실 {where}
예제의 {share:.1%} (에포크 {epoch})</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>samples partly wasted</source>
        <translation>샘플 일부 낭비</translation>
    </message>
    <message>
        <source>noise scale B_simple</source>
        <translation>노이즈 스케일 B_simple</translation>
    </message>
    <message>
        <source>step {step}
noise scale {noise:.4g}
batch size {batch}</source>
        <translation>단계 {step}
노이즈 스케일 {noise:.4g}
배치 크기 {batch}</translation>
    </message>
    <message>
        <source>sharpness</source>
        <translation>날카로움</translation>
    </message>
    <message>
        <source>sharpness λmax</source>
        <translation>날카로움 λmax</translation>
    </message>
    <message>
        <source>stability limit 2/η</source>
        <translation>안정 한계 2/η</translation>
    </message>
    <message>
        <source>crosses the limit</source>
        <translation>한계를 넘음</translation>
    </message>
    <message>
        <source>step {step}
sharpness {sharpness:.4g}
limit {limit:.4g}</source>
        <translation>단계 {step}
날카로움 {sharpness:.4g}
한계 {limit:.4g}</translation>
    </message>
    <message>
        <source>Cannot copy the setup: {reason}</source>
        <extracomment>How long the status bar shows the outcome, in ms.</extracomment>
        <translation>설정을 복사할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Setup copied: the headless command line and its JSON (paste it with Edit &gt; Paste Setup, in main.py --config, or as flags).</source>
        <translation>설정을 복사했습니다: 창 없이 학습하는 명령줄과 그 JSON입니다(편집 &gt; 설정 붙여넣기로 붙여 넣거나, 설정 파일 또는 명령줄 옵션으로 쓸 수 있습니다).</translation>
    </message>
    <message>
        <source>Cannot paste the setup: {reason}</source>
        <translation>설정을 붙여 넣을 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Setup pasted.</source>
        <translation>설정을 붙여 넣었습니다.</translation>
    </message>
    <message>
        <source>--config names a file on another computer: paste the file&apos;s JSON instead</source>
        <extracomment>The command that a copied command line starts with. Always written, even at their defaults: the setup reads whole at a glance (the dataset and the article&apos;s four terms). Flags of main.py that are not part of a setup: skipped when pasted (with their value). Flags that a single setup cannot carry: a clear refusal instead of a silent skip.</extracomment>
        <translation>--config는 다른 컴퓨터의 파일을 가리킵니다. 대신 그 파일의 JSON을 붙여 넣으세요</translation>
    </message>
    <message>
        <source>{flag} belongs to a sweep, which is many setups: paste the setup of one run</source>
        <translation>{flag}은(는) 여러 설정을 한꺼번에 돌리는 스윕의 옵션입니다. 실행 하나의 설정을 붙여 넣으세요</translation>
    </message>
    <message>
        <source>The clipboard holds no setup: copy one first (Edit &gt; Copy Setup).</source>
        <translation>클립보드에 설정이 없습니다. 먼저 설정을 복사하세요(편집 &gt; 설정 복사).</translation>
    </message>
    <message>
        <source>The setup is not a command line: {problem}</source>
        <translation>설정이 올바른 명령줄이 아닙니다: {problem}</translation>
    </message>
    <message>
        <source>The setup is neither a JSON object nor a command line with flags.</source>
        <translation>설정이 JSON 객체도 아니고 옵션이 있는 명령줄도 아닙니다.</translation>
    </message>
    <message>
        <source>Unexpected word {word} in the command line (each setting is --flag value).</source>
        <translation>명령줄에 뜻밖의 단어 {word}이(가) 있습니다(각 설정은 --옵션 값 형태입니다).</translation>
    </message>
    <message>
        <source>Unknown flag {flag}.</source>
        <translation>알 수 없는 옵션 {flag}입니다.</translation>
    </message>
    <message>
        <source>{field}: {flag} takes no value (write {flag} or --no-{name}).</source>
        <translation>{field}: {flag}에는 값을 쓰지 않습니다({flag} 또는 --no-{name}로 쓰세요).</translation>
    </message>
    <message>
        <source>{field}: {flag} needs a value.</source>
        <translation>{field}: {flag}에는 값이 필요합니다.</translation>
    </message>
    <message>
        <source>Drop one file or folder at a time.</source>
        <translation>파일이나 폴더를 한 번에 하나씩 끌어다 놓으세요.</translation>
    </message>
    <message>
        <source>{name} does not exist.</source>
        <translation>{name}이(가) 없습니다.</translation>
    </message>
    <message>
        <source>{name} is neither a CSV file nor a run folder: drop a CSV file to train on it, or a run folder to open it.</source>
        <translation>{name}은(는) CSV 파일도 실행 폴더도 아닙니다. CSV 파일을 놓으면 그 데이터로 학습하고, 실행 폴더를 놓으면 그 실행을 엽니다.</translation>
    </message>
    <message>
        <source>Drop a CSV file to train on it, or a run folder to open it as a kept run.</source>
        <translation>CSV 파일을 놓으면 그 데이터로 학습하고, 실행 폴더를 놓으면 보관한 실행으로 엽니다.</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>실행을 열 수 없습니다</translation>
    </message>
    <message>
        <source>A run is still opening: wait for it or cancel it.</source>
        <extracomment>The progress bar&apos;s share for reading the history files; preparing and saving take the rest. The batch loss&apos;s smoothing a run is prepared with when the window has no slider to ask.</extracomment>
        <translation>실행을 아직 여는 중입니다. 끝날 때까지 기다리거나 취소하세요.</translation>
    </message>
    <message>
        <source>Opening the run(s) in {folder}…</source>
        <translation>{folder}의 실행을 여는 중…</translation>
    </message>
    <message>
        <source>Opening {name}</source>
        <extracomment>The status bar progress&apos;s label while a run opens.</extracomment>
        <translation>{name} 여는 중</translation>
    </message>
    <message>
        <source>Opening cancelled: no run was added.</source>
        <translation>열기를 취소했습니다. 추가된 실행이 없습니다.</translation>
    </message>
    <message>
        <source>Opened {count} run(s) from {folder}</source>
        <translation>{folder}에서 실행 {count}개를 열었습니다</translation>
    </message>
    <message>
        <source>this run · {series}</source>
        <extracomment>Readouts per second at most, however fast the mouse moves. A curve point farther than this from the mouse along x (in pixels) is not &quot;near&quot;. Beyond this many points in reach, a curve is sampled evenly (the nearest of a dense curve is then found to within a pixel or two). The crosshair&apos;s pen.</extracomment>
        <translation>이번 실행 · {series}</translation>
    </message>
    <message>
        <source>this run</source>
        <translation>이번 실행</translation>
    </message>
    <message>
        <source>{run} · {series}</source>
        <translation>{run} · {series}</translation>
    </message>
    <message>
        <source>{run} → {epochs} epochs</source>
        <extracomment>The most runs a plot labels at their ends. Ends closer than this (pixels, in both directions) are one ending: one label names them. Pixels between a label and its curve&apos;s end, and between two labels. A label moved further than this (pixels) from its place gets a leader line.</extracomment>
        <translation>{run} → {epochs} 에포크</translation>
    </message>
</context>
<context>
    <name>GraphicsScene</name>
    <message>
        <source>Export...</source>
        <translation>내보내기...</translation>
    </message>
</context>
<context>
    <name>PlotItem</name>
    <message>
        <source>Plot Options</source>
        <translation>그래프 옵션</translation>
    </message>
    <message>
        <source>Transforms</source>
        <extracomment>The plot-option submenus, in pyqtgraph&apos;s order</extracomment>
        <translation>변환</translation>
    </message>
    <message>
        <source>Downsample</source>
        <translation>다운샘플링</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>평균</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>투명도</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>격자</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>점</translation>
    </message>
</context>
<context>
    <name>ViewBox</name>
    <message>
        <source>ViewBox options</source>
        <translation>보기 옵션</translation>
    </message>
    <message>
        <source>View All</source>
        <translation>전체 보기</translation>
    </message>
    <message>
        <source>Mouse Mode</source>
        <translation>마우스 모드</translation>
    </message>
    <message>
        <source>3 button</source>
        <translation>3버튼</translation>
    </message>
    <message>
        <source>1 button</source>
        <translation>1버튼</translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <source>worker process {pid} died ({what}) while running this task</source>
        <translation>작업자 프로세스 {pid}이(가) 이 작업을 실행하던 중 종료되었습니다({what})</translation>
    </message>
    <message>
        <source>worker process {pid} was ended before its task finished</source>
        <extracomment>Seconds a worker has to exit when the pool shuts down before it is terminated.</extracomment>
        <translation>작업자 프로세스 {pid}이(가) 작업을 마치기 전에 종료되었습니다</translation>
    </message>
    <message>
        <source>killed by {signal}</source>
        <translation>{signal} 신호로 강제 종료</translation>
    </message>
    <message>
        <source>killed by signal {number}</source>
        <translation>신호 {number}(으)로 종료됨</translation>
    </message>
    <message>
        <source>exit status {status}</source>
        <translation>종료 상태 {status}</translation>
    </message>
    <message>
        <source>no exit status</source>
        <translation>종료 상태 없음</translation>
    </message>
    <message>
        <source>loss &apos;{loss}&apos; does not fit dataset &apos;{dataset}&apos;: &apos;{dataset}&apos; is {kind} dataset and &apos;{loss}&apos; suits {suited} tasks</source>
        <translation>&apos;{loss}&apos; 손실 함수는 &apos;{dataset}&apos; 데이터셋에 맞지 않습니다. 이 데이터셋은 {kind} 데이터셋이고, 이 손실 함수는 {suited} 문제에 씁니다.</translation>
    </message>
    <message>
        <source>loss &apos;{loss}&apos; does not suit a {task} task; it suits {suited}</source>
        <translation>&apos;{loss}&apos; 손실 함수는 {task} 문제에 맞지 않습니다. 맞는 문제: {suited}</translation>
    </message>
    <message>
        <source>loss &apos;{loss}&apos; needs {needs}; output activation &apos;{activation}&apos; can produce values where it is undefined (NaN). Use one of: {valid}</source>
        <translation>&apos;{loss}&apos; 손실 함수에는 {needs}이 필요한데, &apos;{activation}&apos; 출력 활성화는 이 함수가 정의되지 않는 값(NaN)을 낼 수 있습니다. 다음 중 하나를 쓰세요: {valid}</translation>
    </message>
    <message>
        <source>hidden_layers: {part} in {text} is not a positive whole number; write sizes separated by commas, e.g. &apos;8, 8&apos;</source>
        <translation>은닉층(hidden_layers): {text} 안의 {part} 값은 양의 정수가 아닙니다. 크기를 쉼표로 구분해 적으세요(예: &apos;8, 8&apos;).</translation>
    </message>
    <message>
        <source>{name} must be a finite number, got {value}</source>
        <translation>{name} 값은 유한한 숫자여야 합니다. 입력값: {value}</translation>
    </message>
    <message>
        <source>{name} must be in {range}, got {value}</source>
        <translation>{name} 값은 {range} 범위여야 합니다. 입력값: {value}</translation>
    </message>
    <message>
        <source>{name} {value} is unknown; valid: {valid}</source>
        <translation>알 수 없는 {name} 값입니다: {value}. 가능한 값: {valid}</translation>
    </message>
    <message>
        <source>config file {path} does not exist</source>
        <translation>설정 파일이 없습니다: {path}</translation>
    </message>
    <message>
        <source>config file {path} cannot be read: {problem}</source>
        <translation>설정 파일을 읽을 수 없습니다: {path}: {problem}</translation>
    </message>
    <message>
        <source>a configuration must be a JSON object, got {kind}</source>
        <translation>설정은 JSON 객체여야 합니다. 받은 형식: {kind}</translation>
    </message>
    <message>
        <source>unknown configuration field(s) {unknown}; valid fields: {valid}</source>
        <translation>알 수 없는 설정 항목: {unknown}. 가능한 항목: {valid}</translation>
    </message>
    <message>
        <source>{where}: file {path} not found</source>
        <translation>{where}: 파일을 찾을 수 없습니다: {path}</translation>
    </message>
    <message>
        <source>{where}: {path} is not a file</source>
        <translation>{where}: 파일이 아닙니다: {path}</translation>
    </message>
    <message>
        <source>{where}: file {path} is empty; it needs a header row and data</source>
        <translation>{where}: 빈 파일입니다({path}). 머리글 행과 데이터가 필요합니다.</translation>
    </message>
    <message>
        <source>{where}: file {path} has a header but no data rows</source>
        <translation>{where}: 파일({path})에 머리글 행만 있고 데이터 행이 없습니다.</translation>
    </message>
    <message>
        <source>{where}: line {line}, column {column}: {problem}</source>
        <translation>{where}: {line}행, {column}열: {problem}</translation>
    </message>
    <message>
        <source>a binary classification</source>
        <translation>이진 분류</translation>
    </message>
    <message>
        <source>a multi-class classification</source>
        <translation>다중 분류</translation>
    </message>
    <message>
        <source>a regression</source>
        <translation>회귀</translation>
    </message>
    <message>
        <source>a count-regression</source>
        <translation>개수(횟수) 회귀</translation>
    </message>
    <message>
        <source>binary</source>
        <extracomment>The tasks by name, and the things a field may apply to, as words in a message.</extracomment>
        <translation>이진 분류</translation>
    </message>
    <message>
        <source>multiclass</source>
        <translation>다중 분류</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>회귀</translation>
    </message>
    <message>
        <source>counts</source>
        <translation>개수(횟수) 회귀</translation>
    </message>
    <message>
        <source>config file {path}</source>
        <translation>설정 파일 {path}</translation>
    </message>
    <message>
        <source>{where} is not valid JSON: line {line}, column {column}: {problem}</source>
        <translation>{where}: 올바른 JSON이 아닙니다. {line}행 {column}열: {problem}</translation>
    </message>
    <message>
        <source>hidden_layers {layers} with batch_size {batch}: about {parameters:,} parameters and {memory} of memory, above the {limit} this app allows; use fewer or smaller layers</source>
        <translation>hidden_layers {layers}, batch_size {batch}: 매개변수 약 {parameters:,}개, 메모리 약 {memory}로 이 앱의 한도 {limit}를 넘습니다. 층 수나 크기를 줄이세요</translation>
    </message>
    <message>
        <source>Mean of squared errors; large errors weigh a lot. The default for regression.</source>
        <extracomment>Task names shared with :mod:`engine.datasets`. The maths every registered loss defines (see :class:`Loss`). encoding and output activation per task (the &quot;auto&quot; choice) decision threshold for single-column (binary-encoded) predictions output activations whose values the formula can take (None: any); others give NaN</extracomment>
        <translation>오차 제곱의 평균으로, 큰 오차에 무게가 많이 실립니다. 회귀의 기본 선택입니다.</translation>
    </message>
    <message>
        <source>mean over outputs of (y − ŷ)²</source>
        <translation>출력들에 대한 (y − ŷ)²의 평균</translation>
    </message>
    <message>
        <source>Mean of absolute errors; less sensitive to outliers than squared error.</source>
        <translation>오차 절댓값의 평균으로, 제곱 오차보다 이상치에 덜 민감합니다.</translation>
    </message>
    <message>
        <source>mean over outputs of |y − ŷ|</source>
        <translation>출력들에 대한 |y − ŷ|의 평균</translation>
    </message>
    <message>
        <source>Absolute error as a percentage of the true value; explodes near zero targets.</source>
        <translation>실제값 대비 절대 오차의 백분율로, 정답이 0에 가까우면 매우 커집니다.</translation>
    </message>
    <message>
        <source>Squared error of log(1 + value); cares about ratios, not absolute sizes.</source>
        <translation>log(1 + 값)의 제곱 오차로, 절대 크기보다 비율을 봅니다.</translation>
    </message>
    <message>
        <source>Hinge loss squared: a smoother margin penalty (labels become -1/+1).</source>
        <translation>힌지 손실의 제곱으로, 마진 위반을 더 부드럽게 벌합니다(레이블은 -1/+1).</translation>
    </message>
    <message>
        <source>SVM-style margin loss: zero once a point is on the right side by a margin.</source>
        <translation>SVM 방식의 마진 손실로, 점이 충분한 여유를 두고 맞는 쪽에 있으면 0입니다.</translation>
    </message>
    <message>
        <source>Multi-class hinge: the true class must beat the best wrong class by 1.</source>
        <translation>다중 클래스 힌지로, 정답 클래스 점수가 가장 높은 오답보다 1 이상 커야 합니다.</translation>
    </message>
    <message>
        <source>Crossentropy with one-hot labels and softmax outputs; the multi-class default.</source>
        <translation>원-핫 레이블과 softmax 출력의 교차 엔트로피로, 다중 분류의 기본 선택입니다.</translation>
    </message>
    <message>
        <source>−Σᵢ yᵢ·log ŷᵢ,  ŷ divided by Σ ŷ, clipped to [ε, 1−ε]</source>
        <translation>−Σᵢ yᵢ·log ŷᵢ,  ŷ를 Σ ŷ로 나눈 뒤 [ε, 1−ε]로 잘라 냄</translation>
    </message>
    <message>
        <source>non-negative predictions with a positive sum per sample</source>
        <translation>샘플마다 합이 양수인, 음이 아닌 예측값</translation>
    </message>
    <message>
        <source>Same as categorical crossentropy, with labels as integers instead of one-hot.</source>
        <translation>categorical_crossentropy와 같지만 레이블을 원-핫 대신 정수로 받습니다.</translation>
    </message>
    <message>
        <source>−log ŷₖ,  k the integer label (the same value as categorical_crossentropy)</source>
        <translation>−log ŷₖ,  k는 정수 레이블 (categorical_crossentropy와 같은 값)</translation>
    </message>
    <message>
        <source>Crossentropy for two classes with one sigmoid output; the binary default.</source>
        <translation>sigmoid 출력 하나로 두 클래스를 다루는 교차 엔트로피로, 이진 분류의 기본입니다.</translation>
    </message>
    <message>
        <source>−[y·log ŷ + (1−y)·log(1−ŷ)],  ŷ clipped to [ε, 1−ε]</source>
        <translation>−[y·log ŷ + (1−y)·log(1−ŷ)],  ŷ는 [ε, 1−ε]로 잘라 냄</translation>
    </message>
    <message>
        <source>How much information is lost using the predicted distribution for the true one.</source>
        <translation>예측 분포로 실제 분포를 대신할 때 잃는 정보의 양입니다.</translation>
    </message>
    <message>
        <source>Σᵢ yᵢ·log(yᵢ / ŷᵢ),  both clipped to [ε, 1]</source>
        <translation>Σᵢ yᵢ·log(yᵢ / ŷᵢ),  양쪽 모두 [ε, 1]로 잘라 냄</translation>
    </message>
    <message>
        <source>For counts: the negative log-likelihood of a Poisson distribution.</source>
        <translation>개수(횟수) 데이터용으로, 포아송 분포의 음의 로그 가능도입니다.</translation>
    </message>
    <message>
        <source>mean over outputs of ŷ − y·log(ŷ + ε)</source>
        <translation>출력들에 대한 ŷ − y·log(ŷ + ε)의 평균</translation>
    </message>
    <message>
        <source>non-negative predictions (a rate)</source>
        <translation>음이 아닌 예측값(발생률)</translation>
    </message>
    <message>
        <source>Minus the cosine similarity of prediction and target (-1 = same direction).</source>
        <translation>예측과 정답의 코사인 유사도에 음수를 붙인 값입니다(-1이면 같은 방향).</translation>
    </message>
    <message>
        <source>image width must be a whole number of pixels from 1 to {high}; received {width}</source>
        <translation>이미지 너비는 1부터 {high}까지의 정수(픽셀)여야 합니다. 받은 값: {width}</translation>
    </message>
    <message>
        <source>could not save {path}: {problem}</source>
        <translation>저장할 수 없습니다: {path}: {problem}</translation>
    </message>
    <message>
        <source>cannot save an image as {extension}: use .png or .svg</source>
        <translation>{extension} 형식으로는 이미지를 저장할 수 없습니다. .png나 .svg를 쓰세요.</translation>
    </message>
    <message>
        <source>{field}: {value} is not one of the choices</source>
        <extracomment>Why a config file&apos;s values cannot be shown (engine.messages), beside the engine&apos;s.</extracomment>
        <translation>{field}: {value} 값은 고를 수 있는 값이 아닙니다</translation>
    </message>
    <message>
        <source>{field}: {value} is outside {low}..{high}</source>
        <translation>{field}: {value} 값이 범위({low}..{high})를 벗어났습니다</translation>
    </message>
    <message>
        <source>is empty (missing value)</source>
        <translation>비어 있습니다(값 없음)</translation>
    </message>
    <message>
        <source>{cell} is not a number</source>
        <translation>{cell}은(는) 숫자가 아닙니다</translation>
    </message>
    <message>
        <source>ring</source>
        <extracomment>Valid range of ``noise``. Valid range of ``validation_split``. Smallest and largest ``n_samples`` for synthetic sets. Integer CSV labels with at most this many distinct values are classes. Largest standardised feature magnitude accepted: far beyond any real data (a value 1e6 standard deviations out), and small enough that float32 training stays finite. Largest regression or count target magnitude accepted (targets are not rescaled): the squared error of a float32 network stays far from overflow (3.4e38) below it. How many parsed CSV file versions :func:`info` and :func:`load` keep. Minimum standard deviation (in grey levels, 0..16) used to standardise a digits pixel, so a pixel that is nearly always blank in training cannot become huge in validation. Rows of a CSV file converted at a time (their text is all that is held besides the arrays). A CSV file whose table is estimated above this is refused before it is read in full (the limit models have, :data:`engine.config.MAX_BYTES`); see :func:`csv_bytes`. Float64 copies of a CSV table at the peak of loading it: the table (kept for the next load), the training and validation rows, and standardising (a scaled copy and the standard deviation&apos;s scratch). Seconds between two progress messages while a long CSV file is read (logger ``engine.datasets``, level INFO; headless prints them). Distinct label texts kept while every label so far is a number; beyond, the labels are kept as numbers only (should a text label follow, the texts are read again).</extracomment>
        <translation>고리</translation>
    </message>
    <message>
        <source>disc</source>
        <translation>원판</translation>
    </message>
    <message>
        <source>Points in a disc (class 1) surrounded by a ring (class 0).</source>
        <translation>고리(클래스 0)에 둘러싸인 원판(클래스 1) 안의 점들입니다.</translation>
    </message>
    <message>
        <source>A ring needs a curved boundary: two tanh layers of 8 bend one, and plain SGD at 0.3 with batches of 16 gets there in 30 epochs.</source>
        <translation>고리 모양에는 굽은 경계가 필요합니다. 8개짜리 tanh 층 두 개가 경계를 굽히고, 배치 16의 SGD(0.3)가 30 에포크 안에 도달합니다.</translation>
    </message>
    <message>
        <source>opposite signs</source>
        <translation>부호가 다름</translation>
    </message>
    <message>
        <source>same sign</source>
        <translation>부호가 같음</translation>
    </message>
    <message>
        <source>Points in four quadrants, class 1 where x1 and x2 have the same sign.</source>
        <translation>네 사분면의 점들로, x1과 x2의 부호가 같은 곳이 클래스 1입니다.</translation>
    </message>
    <message>
        <source>XOR is not linearly separable: the hidden layers combine two straight cuts into the four quadrants.</source>
        <translation>XOR은 직선 하나로 나눌 수 없습니다. 은닉층이 두 직선 경계를 조합해 네 사분면을 나눕니다.</translation>
    </message>
    <message>
        <source>lower left</source>
        <translation>왼쪽 아래</translation>
    </message>
    <message>
        <source>upper right</source>
        <translation>오른쪽 위</translation>
    </message>
    <message>
        <source>Two well-separated Gaussian clouds, one per class.</source>
        <translation>뚜렷이 떨어진 두 가우스 점구름으로, 클래스마다 하나씩입니다.</translation>
    </message>
    <message>
        <source>Two separate clouds need only a straight line: logistic regression (no hidden layer) learns it in a few epochs.</source>
        <translation>떨어진 두 점 구름은 직선 하나면 충분합니다. 은닉층 없는 로지스틱 회귀가 몇 에포크 만에 배웁니다.</translation>
    </message>
    <message>
        <source>arm 1</source>
        <translation>팔 1</translation>
    </message>
    <message>
        <source>arm 2</source>
        <translation>팔 2</translation>
    </message>
    <message>
        <source>Two interleaved spiral arms, one per class.</source>
        <translation>서로 감긴 두 나선 팔로, 클래스마다 하나씩입니다.</translation>
    </message>
    <message>
        <source>Interleaved spirals need a boundary that winds: wider layers (16, 16) and Adam, whose per-weight step sizes cope with the uneven gradients.</source>
        <translation>맞물린 나선에는 감기는 경계가 필요합니다. 넓은 층(16, 16)과, 가중치마다 보폭을 맞춰 고르지 않은 기울기를 다루는 Adam을 씁니다.</translation>
    </message>
    <message>
        <source>upper moon</source>
        <translation>위쪽 반달</translation>
    </message>
    <message>
        <source>lower moon</source>
        <translation>아래쪽 반달</translation>
    </message>
    <message>
        <source>Two interleaving half circles, one per class.</source>
        <translation>서로 맞물린 두 반원으로, 클래스마다 하나씩입니다.</translation>
    </message>
    <message>
        <source>Two interlocking half-moons need a gently curved boundary: a small tanh network with SGD finds it.</source>
        <translation>맞물린 두 반달에는 완만하게 굽은 경계가 필요합니다. 작은 tanh 신경망과 SGD로 찾습니다.</translation>
    </message>
    <message>
        <source>blob 1</source>
        <translation>덩어리 1</translation>
    </message>
    <message>
        <source>blob 2</source>
        <translation>덩어리 2</translation>
    </message>
    <message>
        <source>blob 3</source>
        <translation>덩어리 3</translation>
    </message>
    <message>
        <source>Three Gaussian clouds, one per class.</source>
        <translation>세 가우스 점구름으로, 클래스마다 하나씩입니다.</translation>
    </message>
    <message>
        <source>Separate blobs are split by straight lines: softmax regression (no hidden layer) with integer labels is enough.</source>
        <translation>떨어진 덩어리들은 직선으로 나뉩니다. 정수 레이블을 쓰는 소프트맥스 회귀(은닉층 없음)로 충분합니다.</translation>
    </message>
    <message>
        <source>arm 3</source>
        <translation>팔 3</translation>
    </message>
    <message>
        <source>Three interleaved spiral arms, one per class.</source>
        <translation>서로 감긴 세 나선 팔로, 클래스마다 하나씩입니다.</translation>
    </message>
    <message>
        <source>Three spiral arms need the widest net here (32, 32) and Adam to wind three boundaries.</source>
        <translation>나선 팔 세 개에는 여기서 가장 넓은 신경망(32, 32)과 Adam이 필요합니다. 경계 세 개를 감아야 하니까요.</translation>
    </message>
    <message>
        <source>One input x in [-pi, pi] with the target y = sin(x).</source>
        <translation>입력 x 하나([-pi, pi] 구간)와 정답 y = sin(x)입니다.</translation>
    </message>
    <message>
        <source>A smooth curve is fitted by summing smooth tanh bends; mean squared error matches the Gaussian noise.</source>
        <translation>매끄러운 곡선은 매끄러운 tanh 굽이를 더해 맞춥니다. 평균제곱오차는 가우스 잡음에 맞는 손실입니다.</translation>
    </message>
    <message>
        <source>Two inputs with the linear target y = 0.6*x1 - 0.4*x2 + 0.2.</source>
        <translation>입력 두 개와 선형 정답 y = 0.6*x1 - 0.4*x2 + 0.2입니다.</translation>
    </message>
    <message>
        <source>The target is a flat plane, so linear regression (no hidden layer) is exactly the right model.</source>
        <translation>목표가 평평한 평면이므로 은닉층 없는 선형 회귀가 딱 맞는 모델입니다.</translation>
    </message>
    <message>
        <source>Poisson counts whose rate is exp(0.5 + 0.8*x1 - 0.6*x2).</source>
        <translation>발생률이 exp(0.5 + 0.8*x1 - 0.6*x2)인 포아송 개수 데이터입니다.</translation>
    </message>
    <message>
        <source>Counts are whole numbers with a spread that grows with the mean: the Poisson loss models exactly that.</source>
        <translation>개수는 평균이 클수록 퍼짐도 커지는 정수입니다. 푸아송 손실이 바로 그것을 모델링합니다.</translation>
    </message>
    <message>
        <source>Fisher&apos;s 150 iris flowers: four measurements, three species.</source>
        <translation>피셔의 붓꽃 150송이입니다. 측정값 네 가지, 품종 세 가지입니다.</translation>
    </message>
    <message>
        <source>Four measurements, three species, 120 flowers: one small hidden layer and Adam, no more, so it does not overfit.</source>
        <translation>측정값 4개, 품종 3개, 꽃 120송이: 작은 은닉층 하나와 Adam이면 충분하고, 더 크면 과적합합니다.</translation>
    </message>
    <message>
        <source>1797 handwritten digits as 8x8 images of grey levels 0 to 16.</source>
        <translation>손으로 쓴 숫자 1797개로, 밝기 0~16의 8x8 이미지입니다.</translation>
    </message>
    <message>
        <source>64 pixels, ten digits: one hidden layer of 32 ReLUs with Adam learns them in 20 epochs; softmax and crossentropy pick one digit.</source>
        <translation>픽셀 64개, 숫자 10개: ReLU 32개짜리 은닉층 하나와 Adam이 20 에포크에 배웁니다. 소프트맥스와 교차 엔트로피가 숫자 하나를 고릅니다.</translation>
    </message>
    <message>
        <source>the loss blew up at once: at step {step} of the range test, learning rate {lr:.3g}, the loss {what}. The test needs a few steps of falling loss at small rates. Lower start_lr (now {start_lr:g}, try 100x smaller); if the loss is already huge at the first step, check the data and the loss (e.g. unscaled targets).</source>
        <extracomment>The stop rule&apos;s running average (fastai&apos;s): the sweep ends once it passes BLOW_UP x its best. The falling range starts once the curve has dropped by this fraction of its total drop. The curve falls when its drop exceeds this fraction of its starting level ... ... and this many standard deviations of the curve&apos;s own noise. A trial run at a candidate rate must lower the training loss by this share of the sweep&apos;s drop, and by at least this fraction of its starting value. The slope is taken over the curve averaged again across this fraction of its steps (1/25: half a decade of a 100-step sweep over 8 decades): at mini-batch sizes the curve keeps wiggles of its own noise, whose steepest slopes said nothing about the rate. The standard deviation of normal noise per unit of its median absolute deviation. The share of the largest cross-validation errors left out of their mean. Gaussian window widths (standard deviations, in steps) the cross-validation chooses from. Why the suggestion is what it is, one sentence each (the GUI shows its own translations).</extracomment>
        <translation>손실이 곧바로 폭발했습니다. 범위 테스트의 {step}단계(학습률 {lr:.3g})에서 손실이 {what}. 이 테스트에는 작은 학습률에서 손실이 줄어드는 단계가 몇 번 필요합니다. start_lr을 낮추세요(지금 {start_lr:g}, 100배 작게 해 보세요). 첫 단계부터 손실이 아주 크다면 데이터와 손실 함수를 확인하세요(예: 크기를 맞추지 않은 정답값).</translation>
    </message>
    <message>
        <source>was not a finite number</source>
        <translation>유한한 숫자가 아니었습니다</translation>
    </message>
    <message>
        <source>had risen from {first:.4g} to {last:.4g}</source>
        <translation>{first:.4g}에서 {last:.4g}까지 커졌습니다</translation>
    </message>
    <message>
        <source>Expecting value</source>
        <extracomment>Python&apos;s json module&apos;s messages, quoted in NOT_JSON</extracomment>
        <translation>값이 있어야 합니다</translation>
    </message>
    <message>
        <source>Expecting property name enclosed in double quotes</source>
        <translation>큰따옴표로 감싼 항목 이름이 있어야 합니다</translation>
    </message>
    <message>
        <source>Expecting &apos;,&apos; delimiter</source>
        <translation>&apos;,&apos; 구분자가 있어야 합니다</translation>
    </message>
    <message>
        <source>Expecting &apos;:&apos; delimiter</source>
        <translation>&apos;:&apos; 구분자가 있어야 합니다</translation>
    </message>
    <message>
        <source>Extra data</source>
        <translation>뒤에 남는 데이터가 있습니다</translation>
    </message>
    <message>
        <source>{base}, or null ({meaning})</source>
        <translation>{base} 또는 null({meaning})</translation>
    </message>
    <message>
        <source>{name} must be {expected}, got {value} ({kind})</source>
        <translation>{name} 값은 {expected}이어야 하는데 {value}({kind})입니다</translation>
    </message>
    <message>
        <source>{name} must be {expected}, got {value}</source>
        <extracomment>The control panel&apos;s sections, in its order: the article&apos;s four terms first, always open. Where a running trainer keeps a live field&apos;s value (see :attr:`Param.held_by`). Layer sizes and depth the model accepts.</extracomment>
        <translation>{name} 값은 {expected}여야 합니다. 입력값: {value}</translation>
    </message>
    <message>
        <source>{name} does not apply to the {owner} {what}; it applies to {valid}</source>
        <translation>{name}은(는) {owner} {what}에 쓰이지 않습니다. 쓰이는 곳: {valid}</translation>
    </message>
    <message>
        <source>hidden_layers must be {expected}; {size} in {value} is not</source>
        <translation>hidden_layers는 {expected}이어야 합니다. {value}의 {size}은(는) 맞지 않습니다</translation>
    </message>
    <message>
        <source>{where} is nested too deeply to be a configuration</source>
        <translation>{where}은(는) 너무 깊이 중첩되어 설정 파일로 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>{where} is not a valid configuration: {problem}</source>
        <translation>{where}은(는) 올바른 설정이 아닙니다: {problem}</translation>
    </message>
    <message>
        <source>a whole number from {low} to {high}</source>
        <translation>{low}부터 {high}까지의 정수</translation>
    </message>
    <message>
        <source>one of {valid}</source>
        <translation>다음 중 하나({valid})</translation>
    </message>
    <message>
        <source>a list of up to {count} layer sizes from {low} to {high}, such as [8, 8] or &apos;8, 8&apos;</source>
        <translation>{low}~{high} 크기의 층을 최대 {count}개 나열한 목록([8, 8] 또는 &apos;8, 8&apos; 형식)</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>참 또는 거짓(true/false)</translation>
    </message>
    <message>
        <source>hidden_layers: at most {limit} hidden layers, got {count}</source>
        <translation>은닉층(hidden_layers)은 최대 {limit}개까지 쓸 수 있습니다. 입력한 층 수: {count}</translation>
    </message>
    <message>
        <source>a text</source>
        <translation>텍스트</translation>
    </message>
    <message>
        <source>whole number</source>
        <translation>정수</translation>
    </message>
    <message>
        <source>number</source>
        <translation>수</translation>
    </message>
    <message>
        <source>text</source>
        <translation>텍스트</translation>
    </message>
    <message>
        <source>list</source>
        <translation>목록</translation>
    </message>
    <message>
        <source>boolean</source>
        <translation>참/거짓 값</translation>
    </message>
    <message>
        <source>object</source>
        <translation>객체</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실 함수</translation>
    </message>
    <message>
        <source>train until stopped</source>
        <extracomment>What null means for the optional fields (their ``none_means``), and the JSON types named in MUST_BE_KIND, as words in a message.</extracomment>
        <translation>멈출 때까지 학습</translation>
    </message>
    <message>
        <source>use seed</source>
        <translation>시드 사용</translation>
    </message>
    <message>
        <source>the dataset&apos;s default size</source>
        <translation>데이터셋의 기본 크기</translation>
    </message>
    <message>
        <source>the optimizer&apos;s Keras default</source>
        <translation>옵티마이저의 Keras 기본값</translation>
    </message>
    <message>
        <source>use decay_steps</source>
        <translation>decay_steps 사용</translation>
    </message>
    <message>
        <source>the last column</source>
        <translation>마지막 열</translation>
    </message>
    <message>
        <source>With a large batch ({batch}) a high rate needs a warm-up: set warmup epochs (e.g. 5) so the rate grows to its target.</source>
        <translation>배치가 클 때({batch}) 높은 학습률에는 워밍업이 필요합니다. 워밍업 에포크를 설정해(예: 5) 학습률이 목표값까지 서서히 오르게 하세요.</translation>
    </message>
    <message>
        <source>loss {name} is unknown; valid losses: {valid} (aliases: {aliases})</source>
        <translation>알 수 없는 손실 함수입니다: {name}. 가능한 손실 함수: {valid} (별칭: {aliases})</translation>
    </message>
    <message>
        <source>a number in {interval}</source>
        <translation>{interval} 범위의 숫자</translation>
    </message>
    <message>
        <source>The {what} at step {step} (learning rate {lr:g}): the learning rate is probably too high. Each step jumped past the minimum, and the loss and the weights kept growing. Try a 10x lower learning rate ({lower:g}) and reset.</source>
        <extracomment>Fields that ``update()`` may change during a run, and when they take effect. Longest single sleep of a paced wait: a pause or a pace change is seen within this time. A paced run that falls further behind its schedule than this (or one interval, if longer) restarts the schedule instead of training a burst of overdue steps to catch up.</extracomment>
        <translation>{step}단계(학습률 {lr:g})에서 {what}. 학습률이 너무 높은 것 같습니다. 매 단계가 최솟값을 건너뛰면서 손실과 가중치가 계속 커졌습니다. 학습률을 10배 낮춰({lower:g}) 초기화해 보세요.</translation>
    </message>
    <message>
        <source>Linear scaling multiplied the rate by {factor:g} (batch {batch} / base {base}): warm up, or scale less (a larger base batch size).</source>
        <translation>선형 스케일링이 학습률에 {factor:g}을 곱했습니다(배치 {batch} / 기준 {base}). 워밍업을 쓰거나 덜 키우세요(기준 배치 크기를 크게).</translation>
    </message>
    <message>
        <source>loss became NaN</source>
        <translation>손실이 NaN이 되었습니다</translation>
    </message>
    <message>
        <source>loss became infinite</source>
        <translation>손실이 무한대가 되었습니다</translation>
    </message>
    <message>
        <source>gradient became NaN or infinite</source>
        <translation>기울기가 NaN 또는 무한대가 되었습니다</translation>
    </message>
    <message>
        <source>With LARS and ReLU, too high a rate also kills the ReLUs (they output 0 for every input and stop learning): lower the learning rate.</source>
        <translation>LARS와 ReLU를 함께 쓰면 너무 높은 학습률이 ReLU를 죽이기도 합니다(모든 입력에 0을 내며 더는 배우지 않습니다). 학습률을 낮추세요.</translation>
    </message>
    <message>
        <source>Accuracy has stayed at chance level ({accuracy:.0%}; always guessing the most common class gives {chance:.0%}) for {epochs} epochs while the loss swings between {low:.3g} and {high:.3g}: the network is not learning. The learning rate ({lr:g}) is probably too high for it to settle; try 3-10x lower.</source>
        <extracomment>&quot;Not learning&quot;: accuracy within CHANCE_MARGIN of chance (the most common class&apos;s share) for CHANCE_EPOCHS epochs in a row while the batch loss swings: its 90th percentile over those epochs at least CHANCE_SWING x its 10th. Measured on circle: a run crawling at a low rate sits at chance for its first epochs with a spread of 1.07-1.12 (sampling noise), a run bouncing at too high a rate (momentum, lr 1) shows 3.1-3.5; 1.5 is between them.</extracomment>
        <translation>정확도가 {epochs} 에포크 동안 우연 수준({accuracy:.0%}, 가장 흔한 클래스만 골라도 {chance:.0%})에 머무는 사이 손실은 {low:.3g}에서 {high:.3g} 사이를 오갑니다. 신경망이 학습하지 못하고 있습니다. 학습률({lr:g})이 너무 높아 자리를 잡지 못하는 것 같습니다. 3~10배 낮춰 보세요.</translation>
    </message>
    <message>
        <source>loss rose to {loss:.3g} (smoothed {smoothed:.3g}, more than {factor:g}x its best smoothed value {best:.3g})</source>
        <extracomment>What made the run diverge (the first field of the trainer&apos;s divergence message).</extracomment>
        <translation>손실이 {loss:.3g}까지 올랐습니다(평활화 값 {smoothed:.3g}, 가장 좋았던 평활화 값 {best:.3g}의 {factor:g}배 초과)</translation>
    </message>
    <message>
        <source>weights grew beyond {limit:g}</source>
        <translation>가중치 크기가 {limit:g}을 넘었습니다</translation>
    </message>
    <message>
        <source>ConfigError: {problem}</source>
        <extracomment>What :func:`failure` says, by the exception&apos;s type (others: &quot;{kind}: {problem}&quot;).</extracomment>
        <translation>설정 오류: {problem}</translation>
    </message>
    <message>
        <source>ValueError: {problem}</source>
        <translation>값 오류: {problem}</translation>
    </message>
</context>
</TS>

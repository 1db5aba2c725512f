"""The network view: pictures equal the model's own activations, connections drawn by sign and
|w|, caps with "+N", hover readouts, the click signal, and saving through Save Image."""

import numpy as np
import pytest

from engine import TrainingConfig, Trainer
from gui import views
from gui.model import network_pictures

pytestmark = pytest.mark.gui


def trained(dataset, hidden, loss="binary_crossentropy", steps=40, **options):
    trainer = Trainer(TrainingConfig(dataset=dataset, hidden_layers=hidden, loss=loss,
                                     learning_rate=0.1, epochs=200, seed=3, **options))
    for _ in range(steps):
        trainer.step()
    return trainer, views.geometry_for(trainer.dataset)


def grid(geometry):
    x0, x1, y0, y1 = geometry.extent
    xs, ys = np.linspace(x0, x1, views.GRID), np.linspace(y0, y1, views.GRID)
    grid_x, grid_y = np.meshgrid(xs, ys)
    return np.column_stack([grid_x.ravel(), grid_y.ravel()])


def on_screen(values):
    """Grid values (G*G,) as the picture shows them: (G, G), top row = largest y."""
    return values.reshape(views.GRID, views.GRID)[::-1]


# -- the pictures (no Qt) -----------------------------------------------------------------------

def test_plane_pictures_are_each_neurons_activation_over_the_data_views_grid():
    trainer, geometry = trained("circle", (8, 8))
    pictures = network_pictures.compute_network(trainer, geometry)
    model = trainer.model
    x = grid(geometry)
    hidden_1 = np.tanh(x @ model.kernels[0] + model.biases[0])
    hidden_2 = np.tanh(hidden_1 @ model.kernels[1] + model.biases[1])
    output = trainer.predict(x)
    assert [layer.kind for layer in pictures.layers] == ["plane"] * 4
    for layer, expected in ((0, x), (1, hidden_1), (2, hidden_2), (3, output)):
        for index in range(expected.shape[1]):
            kind, image, values = pictures.picture(layer, index)
            assert image.shape == (views.GRID, views.GRID, 3) and image.dtype == np.uint8
            np.testing.assert_allclose(values, on_screen(expected[:, index]), rtol=1e-12,
                                       atol=1e-12)
    np.testing.assert_allclose(pictures.layers[1].biases, model.biases[0])


def test_output_picture_is_the_data_views_prediction_on_a_regression_plane():
    trainer, geometry = trained("plane", (4,), loss="mse")
    pictures = network_pictures.compute_network(trainer, geometry)
    view = views.compute_view(trainer, geometry)
    _, image, values = pictures.picture(2, 0)
    np.testing.assert_allclose(values, view.values[::-1], rtol=1e-12)
    # coloured as the data view colours the surface (the view's image is bottom row first)
    assert np.abs(image.astype(int) - view.image[::-1].astype(int)).max() <= 3


def test_a_neurons_data_view_is_its_picture_in_the_data_plots_orientation():
    trainer, geometry = trained("plane", (4,), loss="mse")
    pictures = network_pictures.compute_network(trainer, geometry)
    model_view = views.compute_view(trainer, geometry)
    output = pictures.data_view(2, 0)
    assert output.mode == "surface"
    np.testing.assert_allclose(output.values, model_view.values, rtol=1e-12)
    assert np.abs(output.image.astype(int) - model_view.image.astype(int)).max() <= 3
    hidden = pictures.data_view(1, 3)
    x = grid(geometry)
    np.testing.assert_allclose(hidden.values.ravel(), np.tanh(
        x @ trainer.model.kernels[0] + trainer.model.biases[0])[:, 3], rtol=1e-12)
    sine, sine_geometry = trained("sine", (4,), loss="mse")
    curve = network_pictures.compute_network(sine, sine_geometry).data_view(2, 0)
    np.testing.assert_allclose(curve.y, views.compute_view(sine, sine_geometry).y, rtol=1e-12)
    digits, digits_geometry = trained("digits", (32,), loss="sparse_categorical_crossentropy",
                                      steps=1)
    weights = network_pictures.compute_network(digits, digits_geometry)
    assert weights.data_view(1, int(weights.layers[1].shown[0])) is None  # 8x8 weights


def test_diverging_colours_run_from_orange_through_grey_to_blue():
    colours = network_pictures.diverging(np.array([-5.0, -1.0, 0.0, 1.0, 5.0, np.nan]))
    np.testing.assert_array_equal(colours[0], network_pictures.NEGATIVE)
    np.testing.assert_array_equal(colours[1], network_pictures.NEGATIVE)
    assert np.abs(colours[2].astype(int) - network_pictures.MIDDLE).max() <= 2
    np.testing.assert_array_equal(colours[4], network_pictures.POSITIVE)
    assert np.abs(colours[5].astype(int) - network_pictures.MIDDLE).max() <= 2


def test_digits_first_layer_shows_weights_and_caps_layers_with_the_strongest_neurons():
    trainer, geometry = trained("digits", (32,), loss="sparse_categorical_crossentropy",
                                steps=30)
    pictures = network_pictures.compute_network(trainer, geometry)
    inputs, hidden, outputs = pictures.layers
    cap = network_pictures.MAX_SHOWN
    assert (inputs.kind, hidden.kind, outputs.kind) == ("histogram", "weights", "histogram")
    assert (len(inputs.shown), inputs.hidden, len(hidden.shown), hidden.hidden) == (
        cap, 64 - cap, cap, 32 - cap)
    assert len(outputs.shown) == 10 and outputs.hidden == 0
    kernel_in, kernel_out = (np.abs(k) for k in trainer.model.kernels)
    strength = kernel_in.sum(axis=0) + kernel_out.sum(axis=1)
    assert set(hidden.shown) == set(np.argsort(-strength)[:cap])
    assert set(inputs.shown) == set(np.argsort(-kernel_in.sum(axis=1))[:cap])
    for slot, index in enumerate(hidden.shown):
        np.testing.assert_array_equal(hidden.values[slot],
                                      trainer.model.kernels[0][:, index].reshape(8, 8))
        assert hidden.images[slot].shape == (8, 8, 3)
    # each shown hidden neuron keeps its STRONGEST strongest inputs among the shown ones
    links = pictures.connections[0]
    assert links.total == 64 * 32
    for target_slot, target in enumerate(hidden.shown):
        drawn = links.source[links.target == target_slot]
        assert len(drawn) == network_pictures.STRONGEST
        weights = np.abs(trainer.model.kernels[0][inputs.shown, target])
        assert set(inputs.shown[drawn]) == set(
            inputs.shown[np.argsort(-weights)[:network_pictures.STRONGEST]])
    np.testing.assert_array_equal(
        links.weight, trainer.model.kernels[0][inputs.shown[links.source],
                                               hidden.shown[links.target]])


def test_histograms_summarise_each_neurons_activation_over_the_training_rows():
    trainer, geometry = trained("iris", (6,), loss="categorical_crossentropy")
    assert len(geometry.x_train) <= network_pictures.HISTOGRAM_ROWS
    pictures = network_pictures.compute_network(trainer, geometry)
    hidden = np.tanh(geometry.x_train @ trainer.model.kernels[0] + trainer.model.biases[0])
    layer = pictures.layers[1]
    assert layer.kind == "histogram"
    np.testing.assert_allclose(layer.values, np.column_stack(
        [hidden.mean(axis=0), hidden.min(axis=0), hidden.max(axis=0)]), rtol=1e-12)
    # a bar of a neuron that is always near -1 sits at the left, in orange
    image = layer.images[int(np.argmin(layer.values[:, 0]))]
    assert image.shape == (network_pictures.HISTOGRAM_SIZE,) * 2 + (3,)


def test_width_classes_grow_with_the_weights_size_on_a_fixed_scale():
    weights = np.array([0.0, -0.1, 0.6, -1.2, 2.9, 3.0, -40.0, np.nan])
    classes = network_pictures.width_class(weights)
    assert list(classes) == [0, 0, 1, 3, 5, 5, 5, 0]


# -- the widget ----------------------------------------------------------------------------------

@pytest.fixture
def view(qtbot):
    from gui.network_view import NetworkView
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(700, 460)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def path_segments(item):
    """The (x0, y0, x1, y1) lines of a path made of move-to/line-to pairs."""
    path = item.path()
    points = [(path.elementAt(i).x, path.elementAt(i).y) for i in range(path.elementCount())]
    return [points[i] + points[i + 1] for i in range(0, len(points), 2)]


def test_connections_are_coloured_by_sign_and_as_wide_as_their_weight(view):
    from gui import network_view
    trainer, geometry = trained("circle", (8, 8), steps=200)
    view.show_pictures(network_pictures.compute_network(trainer, geometry))
    kernels = trainer.model.kernels
    centres = {}
    for layer, size in enumerate(trainer.model.layer_sizes):
        for index in range(size):
            rect = view.neuron_rect(layer, index)
            centres[layer, index] = rect
    drawn = 0
    widths = {}
    for (positive, width_class), item in view.connection_paths().items():
        pen = item.pen()
        colour = network_pictures.POSITIVE if positive else network_pictures.NEGATIVE
        assert (pen.color().red(), pen.color().green(), pen.color().blue()) == tuple(colour)
        widths[width_class] = pen.widthF()
        for x0, y0, x1, y1 in path_segments(item):
            matches = [(layer, i, j) for (layer, i), a in centres.items()
                       for (next_layer, j), b in centres.items()
                       if next_layer == layer + 1 and abs(a.right() - x0) < 1e-6
                       and abs(a.center().y() - y0) < 1e-6 and abs(b.left() - x1) < 1e-6
                       and abs(b.center().y() - y1) < 1e-6]
            assert len(matches) == 1
            layer, i, j = matches[0]
            weight = kernels[layer][i, j]
            assert (weight >= 0) == positive
            assert network_pictures.width_class(weight) == width_class
            drawn += 1
    assert drawn == 2 * 8 + 8 * 8 + 8  # a small net draws every connection
    assert [widths[c] for c in sorted(widths)] == sorted(widths.values())
    assert view.neuron_rect(0, 0).width() >= network_view.FULL_WIDTH_SIDE
    assert widths == {c: pytest.approx(w) for c, w in enumerate(network_view.LINE_WIDTHS)}
    # smaller neurons, thinner lines, still ordered by |w|
    view.resize(360, 260)
    assert view.neuron_rect(0, 0).width() < network_view.FULL_WIDTH_SIDE
    smaller = [view.connection_paths()[True, c].pen().widthF()
               for c in range(network_pictures.WIDTH_CLASSES)]
    assert smaller == sorted(smaller) and smaller[-1] < network_view.LINE_WIDTHS[-1]
    assert list(view.line_widths()) == pytest.approx(smaller)
    # trained 200 steps, the net has weights of several widths and both signs
    assert len({c for (p, c), item in view.connection_paths().items()
                if item.path().elementCount()}) >= 3


def test_large_layers_show_plus_n_and_only_the_strongest_connections(view):
    trainer, geometry = trained("digits", (32,), loss="sparse_categorical_crossentropy",
                                steps=20)
    pictures = network_pictures.compute_network(trainer, geometry)
    view.show_pictures(pictures)
    cap = network_pictures.MAX_SHOWN
    assert view.hidden_label(0).isVisible() and view.hidden_label(0).text() == f"+{64 - cap}"
    assert view.hidden_label(1).isVisible() and view.hidden_label(1).text() == f"+{32 - cap}"
    assert not view.hidden_label(2).isVisible()
    hidden = pictures.layers[1].shown
    not_shown = sorted(set(range(32)) - set(hidden))[0]
    assert view.neuron_rect(1, not_shown) is None and view.neuron_rect(1, hidden[0]) is not None
    drawn = sum(len(path_segments(item)) for item in view.connection_paths().values())
    strongest = network_pictures.STRONGEST
    assert drawn == cap * strongest + 10 * strongest
    # a weak input of a shown hidden neuron is not drawn, its strongest one is
    target = hidden[0]
    inputs = pictures.layers[0].shown
    order = inputs[np.argsort(np.abs(trainer.model.kernels[0][inputs, target]))]
    assert view.connection_segment(0, order[0], target) is None
    assert view.connection_segment(0, order[-1], target) is not None
    centre = view.hidden_label(0).sceneBoundingRect().center()
    assert view.describe_at(centre) == (
        f"{64 - cap} more neurons; shown are the {cap} with the largest weights")


def hover(qtbot, view, point):
    from PySide6 import QtCore
    qtbot.mouseMove(view.canvas.viewport(), QtCore.QPoint(round(point[0]), round(point[1])))


def tooltip_at(view, point):
    """The tooltip Qt shows at ``point``: the first item there (topmost) that has one."""
    from PySide6 import QtCore
    items = view.canvas.scene().items(QtCore.QPointF(round(point[0]), round(point[1])))
    return next((item.toolTip() for item in items if item.toolTip()), "")


def test_hover_reads_a_neurons_value_and_a_connections_weight(view, qtbot):
    trainer, geometry = trained("circle", (3,), steps=100)
    view.show_pictures(network_pictures.compute_network(trainer, geometry))
    rect = view.neuron_rect(1, 2)
    # the pixel under the cursor: a picture pixel is side / GRID screen pixels
    point = (rect.left() + rect.width() * 0.5 + 0.01, rect.top() + rect.height() * 0.25 + 0.01)
    hover(qtbot, view, point)
    column = int((round(point[0]) - rect.left()) / rect.width() * views.GRID)
    row = int((round(point[1]) - rect.top()) / rect.height() * views.GRID)
    x = grid(geometry)
    activation = on_screen(np.tanh(x @ trainer.model.kernels[0] + trainer.model.biases[0])[:, 2])
    text = view.readout.text()
    assert text.startswith("Hidden 1 neuron 3: ")
    assert f"{activation[row, column]:.3g}" in text
    assert f"bias {trainer.model.biases[0][2]:.3g}" in text
    assert tooltip_at(view, point) == text
    x0, y0, x1, y1 = view.connection_segment(1, 0, 0)
    hover(qtbot, view, ((x0 + x1) / 2, (y0 + y1) / 2))
    weight = trainer.model.kernels[1][0, 0]
    assert view.readout.text() == f"Weight {weight:.4g}: Hidden 1 neuron 1 → Output neuron 1"
    assert tooltip_at(view, ((x0 + x1) / 2, (y0 + y1) / 2)) == view.readout.text()
    hover(qtbot, view, (3, 3))
    assert view.readout.text().strip() == ""


def test_clicking_a_neuron_emits_its_layer_and_index(view, qtbot):
    from PySide6 import QtCore, QtWidgets
    trainer, geometry = trained("spiral", (8, 8))
    view.show_pictures(network_pictures.compute_network(trainer, geometry))
    centre = view.neuron_rect(2, 5).center().toPoint()
    with qtbot.waitSignal(view.neuronClicked, timeout=2000) as blocker:
        qtbot.mouseClick(view.canvas.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=centre)
    assert blocker.args == [2, 5]
    # the window frames the neuron it shows large
    assert view.selected() is None
    view.set_selected(2, 5)
    assert view.selected() == (2, 5)
    framed = [item for item in view.canvas.scene().items(view.neuron_rect(2, 5).center())
              if isinstance(item, QtWidgets.QGraphicsRectItem) and item.isVisible()]
    assert len(framed) == 1 and framed[0].rect().contains(view.neuron_rect(2, 5))
    view.set_selected(None)
    assert not framed[0].isVisible() and view.selected() is None


def test_bound_to_a_session_it_draws_the_last_progresss_pictures_on_redraw(view):
    from gui.messages import Progress
    from gui.session import Session
    session = Session()
    view.bind(session)
    trainer, geometry = trained("circle", (4,))
    run = session.new_run(trainer.config, None)
    first = network_pictures.compute_network(trainer, geometry)
    trainer.step()
    second = network_pictures.compute_network(trainer, geometry)
    for pictures in (first, None, second, None):
        session.apply_progress(Progress(run.run_id, trainer.take_chunk(), network=pictures))
    assert view.pictures is None  # taken, not drawn: the frame clock draws
    view.hide()
    view.redraw()
    assert view.pictures is None  # hidden: nothing drawn ...
    view.show()
    assert view.pictures is second  # ... until shown, with the last pictures
    view.redraw()
    assert view.pictures is second


@pytest.mark.parametrize("dataset, hidden, loss, kinds", [
    ("circle", (8, 8), "binary_crossentropy", ["plane"] * 4),
    ("spiral", (8, 8), "binary_crossentropy", ["plane"] * 4),
    ("digits", (32,), "sparse_categorical_crossentropy", ["histogram", "weights", "histogram"]),
    ("sine", (8,), "mse", ["curve"] * 3),
    ("plane", (4, 4), "mse", ["plane"] * 4),
])
def test_every_kind_of_dataset_draws(view, dataset, hidden, loss, kinds):
    trainer, geometry = trained(dataset, hidden, loss=loss, steps=10)
    pictures = network_pictures.compute_network(trainer, geometry)
    assert [layer.kind for layer in pictures.layers] == kinds
    view.show_pictures(pictures)
    for layer, picture in enumerate(pictures.layers):
        for index in picture.shown:
            rect = view.neuron_rect(layer, index)
            assert rect.width() >= 8 and view.canvas.viewport().rect().contains(
                rect.toRect())


def pixel(image, x, y):
    colour = image.pixelColor(round(x), round(y))
    return np.array([colour.red(), colour.green(), colour.blue()])


def test_save_image_writes_the_drawing_as_png(view, tmp_path):
    from PySide6 import QtGui
    from gui import network_view
    from gui.export import save_image
    trainer, geometry = trained("circle", (8, 8), steps=200)
    pictures = network_pictures.compute_network(trainer, geometry)
    view.show_pictures(pictures)
    path = tmp_path / "network.png"
    save_image(view, path)
    image = QtGui.QImage(str(path))
    assert (image.width(), image.height()) == (view.width(), view.height())
    offset = view.canvas.mapTo(view, view.canvas.viewport().pos())
    # the middle of the output neuron's picture is the picture's middle pixel
    rect = view.neuron_rect(3, 0)
    middle = pictures.layers[3].images[0][views.GRID // 2, views.GRID // 2].astype(int)
    shown = pixel(image, offset.x() + rect.center().x(), offset.y() + rect.center().y())
    assert np.abs(shown - middle).max() <= 24
    # the thickest drawn connection: its sign's colour in the middle of its line
    weights = [(abs(w), layer, i, j) for layer, kernel in enumerate(trainer.model.kernels)
               for (i, j), w in np.ndenumerate(kernel)]
    _, layer, i, j = max(weights)
    x0, y0, x1, y1 = view.connection_segment(layer, i, j)
    sign = (network_pictures.POSITIVE if trainer.model.kernels[layer][i, j] > 0
            else network_pictures.NEGATIVE)
    line = pixel(image, offset.x() + (x0 + x1) / 2, offset.y() + (y0 + y1) / 2)
    alpha = network_view.LINE_ALPHA / 255
    assert np.abs(line - (alpha * sign + (1 - alpha) * 255)).max() <= 6
    # and the canvas's corner is white
    assert list(pixel(image, offset.x() + 2, offset.y() + 2)) == [255, 255, 255]


def test_save_image_as_svg_keeps_the_connections_as_vector_lines(view, tmp_path):
    from gui.export import save_image
    trainer, geometry = trained("circle", (8, 8), steps=100)
    view.show_pictures(network_pictures.compute_network(trainer, geometry))
    path = tmp_path / "network.svg"
    save_image(view, path)
    text = path.read_text(encoding="utf-8")
    assert 'stroke="#0877bd"' in text and 'stroke="#f59322"' in text


def test_title_and_tooltip_follow_the_language(view, qtbot):
    from gui import i18n
    trainer, geometry = trained("circle", (4,))
    view.show_pictures(network_pictures.compute_network(trainer, geometry))
    assert view.title.text() == "Network"
    try:
        i18n.set_language("ko")
        korean = i18n.tr("Network", "ko")
        assert korean != "Network"
        assert korean in view.toolTip()  # at once, not at Qt's later LanguageChange event
        assert view.title.text() == korean
        assert view.layer_name(0) == i18n.tr("Input", "ko")
    finally:
        i18n.set_language("en")
    assert "<b>Network</b>" in view.toolTip()
    assert (view.title.text(), view.layer_name(0)) == ("Network", "Input")


@pytest.mark.parametrize("dataset, hidden, loss", [
    ("circle", (8, 8), "binary_crossentropy"),
    ("iris", (16,), "categorical_crossentropy"),
    ("digits", (32,), "sparse_categorical_crossentropy"),
    ("sine", (4,), "mse"),
])
def test_a_blown_up_model_draws_without_warnings(view, dataset, hidden, loss, recwarn):
    trainer, geometry = trained(dataset, hidden, loss=loss, steps=1)
    for value in (np.nan, np.inf, 0.0):
        trainer.model.flat_params[:] = value
        pictures = network_pictures.compute_network(trainer, geometry)
        view.show_pictures(pictures)
        assert all(layer.images.dtype == np.uint8 for layer in pictures.layers)
    assert [str(warning.message) for warning in recwarn] == []


def test_a_new_model_of_another_shape_replaces_the_drawing(view):
    from PySide6 import QtWidgets
    for hidden in ((8, 8, 8), (3,), (5, 2)):
        trainer, geometry = trained("circle", hidden, steps=5)
        view.show_pictures(network_pictures.compute_network(trainer, geometry))
        shown = [item for item in view.canvas.scene().items()
                 if isinstance(item, QtWidgets.QGraphicsPixmapItem) and item.isVisible()]
        assert len(shown) == 2 + sum(hidden) + 1
        titles = sorted(item.text() for item in view.canvas.scene().items()
                        if isinstance(item, QtWidgets.QGraphicsSimpleTextItem)
                        and item.isVisible())
        assert titles == sorted(["Input", "Output"] + [f"Hidden {n + 1}"
                                                       for n in range(len(hidden))])
        drawn = sum(len(path_segments(item)) for item in view.connection_paths().values())
        sizes = (2, *hidden, 1)
        assert drawn == sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def test_layer_titles_never_overlap_in_a_narrow_view(view):
    from PySide6 import QtWidgets
    trainer, geometry = trained("circle", (8, 8, 8, 8), steps=1)
    view.show_pictures(network_pictures.compute_network(trainer, geometry))
    for width in (700, 300, 220):
        view.resize(width, 400)
        titles = [item.sceneBoundingRect() for item in view.canvas.scene().items()
                  if isinstance(item, QtWidgets.QGraphicsSimpleTextItem) and item.isVisible()
                  and not item.text().startswith("+")]
        assert len(titles) == 6
        assert not any(a.intersects(b) for i, a in enumerate(titles) for b in titles[i + 1:])
        assert all(rect.top() >= 0 for rect in titles)

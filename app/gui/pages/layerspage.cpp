#include "layerspage.h"

#include "layertreemodel.h"
#include "theme.h"

#include <QEvent>
#include <QHelpEvent>
#include <QToolTip>
#include <QSet>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <functional>

namespace hood::gui {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString bytes(quint64 n)
{
    return qs(image::humanBytes(n));
}

QColor changeFill(image::Change c, const QPalette &p)
{
    switch (c) {
    case image::Change::Added: return theme::layerAddedFill(p);
    case image::Change::Modified: return theme::layerModifiedFill(p);
    case image::Change::Deleted: return theme::layerDeletedFill(p);
    }
    return {};
}

// One decimal, as dive rounds it, but never "100.0 %" beside some wasted bytes.
QString efficiencyText(double efficiency)
{
    if (efficiency < 1.0 && efficiency >= 0.9995)
        return QStringLiteral("> 99.9");
    return QString::number(efficiency * 100, 'f', 1);
}

constexpr int kMargin = 6;
constexpr int kGap = 6;

} // namespace

QString layerName(const image::LayerSummary &layer, int count)
{
    if (layer.writable)
        return QObject::tr("Writable layer (upper)");
    if (layer.index == 0)
        return count == 1 ? QObject::tr("Layer 1") : QObject::tr("Layer 1 (base)");
    return QObject::tr("Layer %1").arg(layer.index + 1);
}

// --- the stack -----------------------------------------------------------------

LayerStackWidget::LayerStackWidget(QWidget *parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Layer stack"));
}

void LayerStackWidget::setLayers(const std::vector<image::LayerSummary> &layers)
{
    m_layers = layers;
    if (m_selected >= int(m_layers.size()))
        m_selected = -1;
    updateGeometry();
    update();
}

void LayerStackWidget::setSelected(int layer)
{
    if (layer < 0 || layer >= int(m_layers.size()) || layer == m_selected)
        return;
    m_selected = layer;
    update();
    emit layerSelected(layer);
}

int LayerStackWidget::boxHeight() const
{
    return fontMetrics().height() * 2 + 3 * kMargin;
}

// The base at the bottom: layer i is drawn counting from the bottom of the stack.
QRect LayerStackWidget::boxRect(int layer) const
{
    const int n = int(m_layers.size());
    const int h = boxHeight();
    const int fromTop = n - 1 - layer;
    return QRect(kMargin, kMargin + fromTop * (h + kGap), width() - 2 * kMargin, h);
}

int LayerStackWidget::heightFor(int layers) const
{
    const int n = std::max(1, layers);
    return 2 * kMargin + n * boxHeight() + (n - 1) * kGap;
}

QSize LayerStackWidget::sizeHint() const
{
    return {fontMetrics().averageCharWidth() * 44, heightFor(int(m_layers.size()))};
}

QSize LayerStackWidget::minimumSizeHint() const
{
    return {fontMetrics().averageCharWidth() * 24, sizeHint().height()};
}

void LayerStackWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const int n = int(m_layers.size());
    for (int i = 0; i < n; ++i) {
        const image::LayerSummary &l = m_layers[size_t(i)];
        const QRect r = boxRect(i);
        const bool selected = i == m_selected;
        QColor fill = l.writable ? theme::writableFill(pal) : pal.color(QPalette::AlternateBase);
        p.setPen(QPen(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), selected ? 3 : 1));
        p.setBrush(fill);
        p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 4, 4);
        const QRect text = r.adjusted(2 * kMargin, kMargin, -2 * kMargin, -kMargin);
        const int line = fontMetrics().height();
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(pal.color(QPalette::Text));
        // Line 1: the layer's name and size; line 2: what made it, and dive's counts.
        const QFontMetrics boldMetrics(bold);
        const QString size = bytes(l.size);
        const QRect first(text.left(), text.top(), text.width(), line);
        p.drawText(first, Qt::AlignRight | Qt::AlignVCenter, size);
        p.drawText(first, Qt::AlignLeft | Qt::AlignVCenter,
                   boldMetrics.elidedText(layerName(l, n), Qt::ElideRight,
                                          std::max(0, text.width() - boldMetrics.horizontalAdvance(size) - kMargin)));
        p.setFont(font());
        const QString counts = tr("+%1 ~%2 −%3").arg(l.added).arg(l.modified).arg(l.deleted);
        const QRect second(text.left(), text.top() + line + kMargin / 2, text.width(), line);
        p.drawText(second, Qt::AlignRight | Qt::AlignVCenter, counts);
        const QString label = l.problem.empty() ? qs(l.label) : qs(l.problem);
        const int labelWidth = std::max(0, text.width() - fontMetrics().horizontalAdvance(counts) - 2 * kMargin);
        p.drawText(second, Qt::AlignLeft | Qt::AlignVCenter, fontMetrics().elidedText(label, Qt::ElideMiddle, labelWidth));
    }
    if (hasFocus() && m_selected >= 0) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(boxRect(m_selected).adjusted(-3, -3, 3, 3));
    }
}

void LayerStackWidget::mousePressEvent(QMouseEvent *event)
{
    for (int i = 0; i < int(m_layers.size()); ++i) {
        if (boxRect(i).contains(event->position().toPoint())) {
            setSelected(i);
            return;
        }
    }
}

void LayerStackWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateGeometry();
        emit heightChanged();
    }
}

QString LayerStackWidget::toolTipAt(const QPoint &pos) const
{
    for (int i = 0; i < int(m_layers.size()); ++i) {
        if (!boxRect(i).contains(pos))
            continue;
        const image::LayerSummary &l = m_layers[size_t(i)];
        return tr("<b>%1</b>: %2<br>%3 added, %4 modified, %5 deleted<br><tt>%6</tt>")
            .arg(layerName(l, int(m_layers.size())), bytes(l.size))
            .arg(l.added)
            .arg(l.modified)
            .arg(l.deleted)
            .arg((l.label == l.dir ? qs(l.dir) : qs(l.label) + "<br>" + qs(l.dir)).toHtmlEscaped());
    }
    return {};
}

bool LayerStackWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

// Up goes up the stack (towards the writable layer), Down towards the base.
void LayerStackWidget::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Up)
        setSelected(std::min(m_selected + 1, int(m_layers.size()) - 1));
    else if (event->key() == Qt::Key_Down)
        setSelected(std::max(m_selected - 1, 0));
    else
        QWidget::keyPressEvent(event);
}

// --- the page ------------------------------------------------------------------

LayersPage::LayersPage(QWidget *parent) : QWidget(parent), m_model(new LayerTreeModel(this))
{
    auto *v = new QVBoxLayout(this);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::RichText);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_caption);
    m_score = new QLabel(this);
    m_score->setWordWrap(true);
    m_score->setTextFormat(Qt::RichText);
    m_score->setObjectName("layers-score");
    v->addWidget(m_score);

    auto *split = new QSplitter(Qt::Horizontal, this);
    // Left: the stack above the selected layer's changes, the line between them movable.
    auto *left = new QSplitter(Qt::Vertical, split);
    left->setChildrenCollapsible(false);
    m_stack = new LayerStackWidget(left);
    m_stackScroll = new QScrollArea(left);
    m_stackScroll->setWidget(m_stack);
    m_stackScroll->setWidgetResizable(true);
    m_stackScroll->setFrameShape(QFrame::NoFrame);
    m_stackScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    left->addWidget(m_stackScroll);
    auto *changesBox = new QWidget(left);
    auto *lv = new QVBoxLayout(changesBox);
    lv->setContentsMargins(0, 0, 0, 0);
    m_changesTitle = new QLabel(changesBox);
    m_changesTitle->setWordWrap(true);
    lv->addWidget(m_changesTitle);
    m_changes = new QTreeWidget(changesBox);
    m_changes->setObjectName("layers-changes");
    m_changes->setRootIsDecorated(false);
    m_changes->setUniformRowHeights(true);
    m_changes->setHeaderLabels({tr("Change"), tr("Path"), tr("Size")});
    m_changes->header()->setStretchLastSection(false);
    m_changes->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_changes->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_changes->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    lv->addWidget(m_changes, 1);
    left->addWidget(changesBox);
    left->setStretchFactor(0, 0);
    left->setStretchFactor(1, 1);
    split->addWidget(left);

    m_tree = new QTreeView(split);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(LayerTreeModel::Name, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(LayerTreeModel::Layer, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(LayerTreeModel::Size, QHeaderView::ResizeToContents);
    split->addWidget(m_tree);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    v->addWidget(split, 1);

    connect(m_stack, &LayerStackWidget::layerSelected, this, &LayersPage::showChanges);
    connect(m_stack, &LayerStackWidget::heightChanged, this, &LayersPage::fitStack);
    m_model->setPalette(palette());
    showNothing(tr("Select a running container to see its layers."));
}

QString LayersPage::caption() const
{
    return m_caption->text();
}

QStringList LayersPage::layerNames() const
{
    QStringList names;
    const auto &layers = m_snapshot.layers.view.layers;
    for (const image::LayerSummary &l : layers)
        names << (l.writable ? tr("upper") : QString::number(l.index + 1));
    return names;
}

void LayersPage::showSnapshot(const LayerSnapshot &s)
{
    if (!s.problem.isEmpty()) {
        showNothing(s.problem);
        return;
    }
    const bool other = s.id != m_id;
    QSet<QString> expanded; // by path, to open them again after the reset
    if (!other) {
        std::function<void(const QModelIndex &)> collect = [&](const QModelIndex &parent) {
            for (int r = 0; r < m_model->rowCount(parent); ++r) {
                const QModelIndex i = m_model->index(r, 0, parent);
                if (m_tree->isExpanded(i)) {
                    expanded.insert(i.data(LayerTreeModel::PathRole).toString());
                    collect(i);
                }
            }
        };
        collect({});
    }
    const QString current = m_tree->currentIndex().data(LayerTreeModel::PathRole).toString();
    if (other)
        m_model->clear();
    m_id = s.id;
    m_snapshot = s;
    const auto &layers = s.layers.view.layers;
    int writable = -1;
    for (const image::LayerSummary &l : layers) {
        if (l.writable)
            writable = l.index;
    }
    m_model->setPalette(palette());
    m_model->setView(s.layers.view, layerNames(), writable);
    for (const QString &path : expanded)
        m_tree->setExpanded(m_model->indexOfPath(path), true);
    if (other) {
        // The writable layer's directories open at once: that is where the container writes.
        for (const image::MergedEntry &e : s.layers.view.merged) {
            if (e.layer == writable)
                for (QModelIndex up = m_model->indexOfPath(qs(e.path)).parent(); up.isValid(); up = up.parent())
                    m_tree->setExpanded(up, true);
        }
    }
    if (!current.isEmpty())
        m_tree->setCurrentIndex(m_model->indexOfPath(current));
    const int selected = m_stack->selected();
    m_stack->setLayers(layers);
    fitStack();
    if (other || selected < 0 || selected >= int(layers.size()))
        m_stack->setSelected(layers.empty() ? -1 : int(layers.size()) - 1);
    else
        showChanges(selected);
    showSummary();
}

// The whole stack while it takes at most half the page (at least four layers); a
// taller one scrolls (and its part of the page can be dragged larger). A 5-layer
// image and its writable layer fit whole at 1920x1080.
void LayersPage::fitStack()
{
    const int want = m_stack->sizeHint().height();
    m_stackScroll->setMinimumHeight(std::min(want, std::max(m_stack->heightFor(4), height() / 2)));
    m_stackScroll->setMaximumHeight(want);
}

void LayersPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitStack();
}

void LayersPage::showSummary()
{
    const LayerSnapshot &s = m_snapshot;
    if (showsImage()) {
        m_caption->setText(tr("<b>%1</b>: the image's %n layer(s) in the store, as a container would get them "
                              "(lowest first), without a writable layer.",
                              nullptr, int(s.layers.view.layers.size()))
                               .arg(s.id.toHtmlEscaped()));
        m_caption->setToolTip({});
    } else {
        showContainerCaption();
    }
    showScore();
}

void LayersPage::showContainerCaption()
{
    const LayerSnapshot &s = m_snapshot;
    const auto &o = s.layers.overlay;
    const QString throughMerged =
        tr("The writable layer %1 is a tmpfs that only the container's mount namespace can reach, so Hood reads it "
           "through the merged root /proc/%2/root: a path no lower layer has was added, a file whose ctime differs "
           "from its lower original was copied up, a lower path that is gone was whited out.")
            .arg(qs(o.upper))
            .arg(s.pid);
    const QString upper = s.layers.upperThroughMerged ? tr("read through <tt>/proc/%1/root</tt>").arg(s.pid)
                                                      : tr("<tt>%1</tt>").arg(qs(o.upper).toHtmlEscaped());
    const QString watched = s.watched             ? tr("watched with inotify")
                            : s.watching.isEmpty() ? tr("not watched yet")
                                                   : tr("not watched (%1)").arg(s.watching.toHtmlEscaped());
    m_caption->setText(tr("<b>%1</b>: %n layer(s) of its root overlay (<tt>/proc/%2/mountinfo</tt>); "
                          "writable layer %3, %4.",
                          nullptr, int(s.layers.view.layers.size()))
                           .arg(s.id.toHtmlEscaped())
                           .arg(s.pid)
                           .arg(upper, watched));
    m_caption->setToolTip(s.layers.upperThroughMerged ? throughMerged
                                                      : tr("Watching %1 with inotify.").arg(s.watching));
}

void LayersPage::showScore()
{
    const LayerSnapshot &s = m_snapshot;
    const image::LayerView &v = s.layers.view;
    m_score->setText(tr("dive's <b>image efficiency score</b>: %1 %  ·  <b>potential wasted space</b>: %2 "
                        "(%n path(s) in more than one layer)  ·  hidden under later layers: %3  ·  "
                        "total size: %4",
                        nullptr, int(v.inefficiencies.size()))
                         .arg(efficiencyText(v.efficiency))
                         .arg(bytes(v.wastedBytes), bytes(v.hiddenBytes), bytes(v.totalSize)));
}

void LayersPage::showChanges(int layer)
{
    m_changes->clear();
    const auto &layers = m_snapshot.layers.view.layers;
    if (layer < 0 || layer >= int(layers.size())) {
        m_changesTitle->clear();
        return;
    }
    const image::LayerSummary &l = layers[size_t(layer)];
    m_changesTitle->setText(tr("<b>%1</b>: %2 added, %3 modified, %4 deleted")
                                .arg(layerName(l, int(layers.size())))
                                .arg(l.added)
                                .arg(l.modified)
                                .arg(l.deleted));
    QList<QTreeWidgetItem *> items;
    for (const image::LayerChange &c : l.changes) {
        QString word = QString::fromLatin1(image::changeName(c.change));
        if (c.whiteout)
            word += tr(" (whiteout)");
        else if (c.opaque)
            word += tr(" (opaque)");
        auto *item = new QTreeWidgetItem({word, qs(c.path), c.type == image::EntryType::File || c.size ? bytes(c.size) : QString()});
        const QColor fill = changeFill(c.change, palette());
        for (int col = 0; col < 3; ++col)
            item->setBackground(col, fill);
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        items << item;
    }
    m_changes->addTopLevelItems(items);
}

void LayersPage::showCopyUps(const QVector<CopyUpMark> &marks)
{
    for (const CopyUpMark &m : marks)
        m_model->markCopyUp(m.path, m.deleted, m.dir);
    if (!marks.isEmpty()) {
        const QModelIndex i = m_model->indexOfPath(marks.last().path);
        if (i.isValid())
            m_tree->scrollTo(i);
    }
}

void LayersPage::showNothing(const QString &why)
{
    m_id.clear();
    m_snapshot = {};
    m_model->clear();
    m_stack->setLayers({});
    m_changes->clear();
    m_changesTitle->clear();
    m_score->clear();
    m_caption->setText(why.toHtmlEscaped());
}

bool LayersPage::highlight(const QString &path)
{
    const QModelIndex i = m_model->indexOfPath(path);
    if (!i.isValid())
        return false;
    m_tree->setCurrentIndex(i);
    m_tree->scrollTo(i);
    return true;
}

void LayersPage::selectLayer(int layer)
{
    m_stack->setSelected(layer);
}

void LayersPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitStack();
    if (event->type() == QEvent::PaletteChange) {
        m_model->setPalette(palette());
        showChanges(m_stack->selected());
    }
}

} // namespace hood::gui

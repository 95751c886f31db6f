// The Layers page, like dive: the stack drawn as boxes (the base at the bottom,
// the container's writable layer on top, each with its size and the instruction
// that made it, or its directory), the merged tree with the layer each file comes
// from, the selected layer's added / modified / deleted files, and dive's wasted
// space and efficiency score. Copy-ups are marked the moment inotify sees them.
#pragma once

#include "layerinspector.h"

#include <QWidget>

class QLabel;
class QScrollArea;
class QTreeView;
class QTreeWidget;

namespace hood::gui {

class LayerTreeModel;

// The stack as a drawing; a click (or Up/Down) selects a layer.
class LayerStackWidget : public QWidget {
    Q_OBJECT

public:
    explicit LayerStackWidget(QWidget *parent = nullptr);
    void setLayers(const std::vector<image::LayerSummary> &layers);
    void setSelected(int layer);
    int selected() const { return m_selected; }
    int layerCount() const { return int(m_layers.size()); }
    QRect boxRect(int layer) const; // where a layer's box is drawn
    int heightFor(int layers) const; // the drawing's height for that many layers
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void layerSelected(int layer);
    void heightChanged(); // a new font: the stack wants another height

protected:
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    int boxHeight() const;
    QString toolTipAt(const QPoint &pos) const;
    std::vector<image::LayerSummary> m_layers;
    int m_selected = -1;
};

class LayersPage : public QWidget {
    Q_OBJECT

public:
    explicit LayersPage(QWidget *parent = nullptr);

    void showSnapshot(const LayerSnapshot &snapshot);
    void showCopyUps(const QVector<CopyUpMark> &marks);
    void showNothing(const QString &why);
    bool highlight(const QString &path);
    void selectLayer(int layer);

    LayerTreeModel *model() const { return m_model; }
    LayerStackWidget *stack() const { return m_stack; }
    QTreeWidget *changes() const { return m_changes; }
    QString caption() const;
    QString shownId() const { return m_id; }
    // An image of the store (opened from the Build page), not a running container.
    bool showsImage() const { return !m_id.isEmpty() && m_snapshot.pid == 0; }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitStack();
    void showChanges(int layer);
    void showSummary();
    void showContainerCaption();
    void showScore();
    QStringList layerNames() const;

    LayerTreeModel *m_model;
    LayerStackWidget *m_stack;
    QScrollArea *m_stackScroll;
    QTreeView *m_tree;
    QTreeWidget *m_changes;
    QLabel *m_caption;
    QLabel *m_score;
    QLabel *m_changesTitle;
    LayerSnapshot m_snapshot;
    QString m_id;
};

// "Layer 1 (base)", "Layer 2", "Writable (upper)": how the page names a layer.
QString layerName(const image::LayerSummary &layer, int count);

} // namespace hood::gui

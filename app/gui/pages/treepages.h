// Mounts and Processes: a caption and a tree view over a model; the Mounts page
// also lists the root overlay's layers, linked to the Layers page.
#pragma once

#include "containerdata.h"

#include <QWidget>

class QFrame;
class QLabel;
class QPushButton;
class QTreeView;

namespace hood::gui {

class MountTreeModel;
class ProcessTreeModel;

class MountsPage : public QWidget {
    Q_OBJECT

public:
    explicit MountsPage(QWidget *parent = nullptr);
    void showSnapshot(const MountSnapshot &snapshot);
    void showNothing(const QString &why);
    bool highlight(const QString &target);
    MountTreeModel *model() const { return m_model; }
    // The root overlay's lowerdir, upperdir and workdir as the layer list; empty
    // when the root is not an overlay.
    QString layerList() const;
    QPushButton *layersButton() const { return m_layersButton; }

signals:
    void layersRequested(); // the layer list's button: open the Layers page

private:
    void showLayerList(const MountSnapshot &snapshot);

    MountTreeModel *m_model;
    QTreeView *m_view;
    QLabel *m_caption;
    QFrame *m_layersBox;
    QLabel *m_layers;
    QPushButton *m_layersButton;
    QString m_id;
};

class ProcessesPage : public QWidget {
    Q_OBJECT

public:
    explicit ProcessesPage(QWidget *parent = nullptr);
    void showSnapshot(const ProcessSnapshot &snapshot);
    void showNothing(const QString &why);
    ProcessTreeModel *model() const { return m_model; }

private:
    ProcessTreeModel *m_model;
    QTreeView *m_view;
    QLabel *m_caption;
};

} // namespace hood::gui

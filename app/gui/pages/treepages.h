// Mounts and Processes: a caption and a tree view over a model; nothing else.
#pragma once

#include "containerdata.h"

#include <QWidget>

class QLabel;
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

private:
    MountTreeModel *m_model;
    QTreeView *m_view;
    QLabel *m_caption;
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

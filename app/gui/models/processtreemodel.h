// The Processes page: the container's processes as a tree, each with its pid
// inside the container's pid namespace and its pid on the host.
#pragma once

#include "containerdata.h"

#include <QAbstractItemModel>

namespace hood::gui {

class ProcessTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { Command, ContainerPid, HostPid, State, User, Threads, Memory, ColumnCount };

    using QAbstractItemModel::QAbstractItemModel;

    // Returns true when the model was reset (a new tree), false when only values moved.
    bool setSnapshot(const ProcessSnapshot &snapshot);
    int processCount() const { return int(m_snapshot.tree.processes.size()); }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const inspect::ProcessInfo &p, int column) const;

    ProcessSnapshot m_snapshot;
};

} // namespace hood::gui

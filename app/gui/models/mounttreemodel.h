// The Mounts page: the container's mount tree (like findmnt), with the mounts the
// host does not have marked "added" and highlighted.
#pragma once

#include "containerdata.h"

#include <QAbstractItemModel>

namespace hood::gui {

class MountTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { Target, Source, Type, Options, Propagation, Compared, ColumnCount };
    static constexpr int AddedRole = Qt::UserRole + 1; // bool

    using QAbstractItemModel::QAbstractItemModel;

    // Returns true when the model was reset (a new tree), false when only values moved.
    bool setSnapshot(const MountSnapshot &snapshot);
    int addedCount() const { return int(m_snapshot.diff.added.size()); }
    int removedCount() const { return int(m_snapshot.diff.removed.size()); }
    int mountCount() const { return int(m_snapshot.tree.mounts.size()); }
    // The index of the mount at this target (first match), for highlighting.
    QModelIndex indexOfTarget(const QString &target) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const inspect::MountEntry &m, bool added, int column) const;

    MountSnapshot m_snapshot;
    std::vector<bool> m_added;
};

} // namespace hood::gui

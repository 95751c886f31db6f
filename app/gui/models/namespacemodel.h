// The Namespaces page's table: one row per kind, the host's inode and the
// container's, and whether the container has its own or shares the host's.
#pragma once

#include "containerdata.h"

#include <QAbstractTableModel>

namespace hood::gui {

class NamespaceTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Kind, HostInode, ContainerInode, Isolation, ColumnCount };
    static constexpr int KindKeyRole = Qt::UserRole + 1; // "net", "pid", ...
    static constexpr int SharedRole = Qt::UserRole + 2;  // bool; invalid when unknown

    using QAbstractTableModel::QAbstractTableModel;

    // container: the participant to compare with the host; empty shows the host only.
    void setSnapshot(const NamespaceSnapshot &snapshot, const QString &container);
    int rowOfKind(const QString &key) const; // -1 for an unknown name
    // Kinds whose inode is known on both sides (8 on a kernel with the time namespace).
    int comparedKinds() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(int row, int column) const;
    std::optional<bool> shared(int row) const;

    inspect::NsSet m_host {};
    std::optional<inspect::NsSet> m_container;
    QString m_containerName;
};

// "4026531840", or the entry's state word ("not supported") when not readable.
QString inodeText(const inspect::NsEntry &entry);
QString kindKey(NsKind kind); // the short name: "net"

} // namespace hood::gui

#include "mounttreemodel.h"

#include "theme.h"
#include "treeindex.h"

#include <QGuiApplication>

namespace hood::gui {

namespace {
// Same mounts in the same places: the view keeps its scroll position and selection.
bool sameStructure(const inspect::MountTree &a, const inspect::MountTree &b)
{
    if (a.mounts.size() != b.mounts.size() || a.roots != b.roots)
        return false;
    for (size_t i = 0; i < a.mounts.size(); ++i) {
        if (a.mounts[i].id != b.mounts[i].id || a.mounts[i].parent != b.mounts[i].parent)
            return false;
    }
    return true;
}
} // namespace

bool MountTreeModel::setSnapshot(const MountSnapshot &snapshot)
{
    if (snapshot.id == m_snapshot.id && sameStructure(snapshot.tree, m_snapshot.tree)) {
        m_snapshot = snapshot;
        m_added.assign(m_snapshot.tree.mounts.size(), false);
        for (int i : m_snapshot.diff.added)
            m_added[size_t(i)] = true;
        tree::emitAllChanged(this, m_snapshot.tree.mounts, m_snapshot.tree.roots, ColumnCount, [this](int n, int c) {
            return createIndex(tree::rowOf(m_snapshot.tree.mounts, m_snapshot.tree.roots, n), c, quintptr(n));
        });
        return false;
    }
    beginResetModel();
    m_snapshot = snapshot;
    m_added.assign(m_snapshot.tree.mounts.size(), false);
    for (int i : m_snapshot.diff.added)
        m_added[size_t(i)] = true;
    endResetModel();
    return true;
}

QModelIndex MountTreeModel::indexOfTarget(const QString &target) const
{
    const auto &mounts = m_snapshot.tree.mounts;
    for (size_t i = 0; i < mounts.size(); ++i) {
        if (QString::fromStdString(mounts[i].target) == target)
            return createIndex(tree::rowOf(mounts, m_snapshot.tree.roots, int(i)), 0, quintptr(i));
    }
    return {};
}

QModelIndex MountTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const auto &kids = tree::childrenOf(m_snapshot.tree.mounts, m_snapshot.tree.roots, tree::node(parent));
    return createIndex(row, column, quintptr(kids[size_t(row)]));
}

QModelIndex MountTreeModel::parent(const QModelIndex &child) const
{
    const int n = tree::node(child);
    if (n < 0)
        return {};
    const int p = m_snapshot.tree.mounts[size_t(n)].parent;
    if (p < 0)
        return {};
    return createIndex(tree::rowOf(m_snapshot.tree.mounts, m_snapshot.tree.roots, p), 0, quintptr(p));
}

int MountTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(tree::childrenOf(m_snapshot.tree.mounts, m_snapshot.tree.roots, tree::node(parent)).size());
}

int MountTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant MountTreeModel::display(const inspect::MountEntry &m, bool added, int column) const
{
    switch (column) {
    case Target: return QString::fromStdString(m.target);
    case Source: return QString::fromStdString(inspect::findmntSource(m));
    case Type: return QString::fromStdString(m.fstype);
    case Options: return QString::fromStdString(m.vfsOptions);
    case Propagation: return QString::fromStdString(inspect::propagationName(m.propagation));
    case Compared: return added ? tr("added") : tr("as on host");
    }
    return {};
}

QVariant MountTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const size_t n = size_t(tree::node(index));
    const inspect::MountEntry &m = m_snapshot.tree.mounts[n];
    switch (role) {
    case Qt::DisplayRole: return display(m, m_added[n], index.column());
    case AddedRole: return bool(m_added[n]);
    case Qt::ToolTipRole:
        return tr("%1 on %2 type %3 (%4)")
            .arg(QString::fromStdString(inspect::findmntSource(m)), QString::fromStdString(m.target),
                 QString::fromStdString(m.fstype), QString::fromStdString(m.options));
    case Qt::BackgroundRole:
        return m_added[n] ? QVariant(theme::addedFill(QGuiApplication::palette())) : QVariant();
    }
    return {};
}

QVariant MountTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Target: return tr("Mount point");
    case Source: return tr("Source");
    case Type: return tr("Type");
    case Options: return tr("Options");
    case Propagation: return tr("Propagation");
    case Compared: return tr("Compared with host");
    }
    return {};
}

} // namespace hood::gui

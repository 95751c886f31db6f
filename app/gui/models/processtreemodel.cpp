#include "processtreemodel.h"

#include "containerlistmodel.h"
#include "treeindex.h"

namespace hood::gui {

namespace {
// Same processes with the same parents: update the numbers in place, so the view
// keeps its scroll position, expansion and selection.
bool sameStructure(const inspect::ProcessTree &a, const inspect::ProcessTree &b)
{
    if (a.processes.size() != b.processes.size() || a.roots != b.roots)
        return false;
    for (size_t i = 0; i < a.processes.size(); ++i) {
        if (a.processes[i].pid != b.processes[i].pid || a.processes[i].parent != b.processes[i].parent)
            return false;
    }
    return true;
}
} // namespace

bool ProcessTreeModel::setSnapshot(const ProcessSnapshot &snapshot)
{
    if (snapshot.id == m_snapshot.id && sameStructure(snapshot.tree, m_snapshot.tree)) {
        m_snapshot = snapshot;
        tree::emitAllChanged(this, m_snapshot.tree.processes, m_snapshot.tree.roots, ColumnCount, [this](int n, int c) {
            return createIndex(tree::rowOf(m_snapshot.tree.processes, m_snapshot.tree.roots, n), c, quintptr(n));
        });
        return false;
    }
    beginResetModel();
    m_snapshot = snapshot;
    endResetModel();
    return true;
}

QModelIndex ProcessTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const auto &kids = tree::childrenOf(m_snapshot.tree.processes, m_snapshot.tree.roots, tree::node(parent));
    return createIndex(row, column, quintptr(kids[size_t(row)]));
}

QModelIndex ProcessTreeModel::parent(const QModelIndex &child) const
{
    const int n = tree::node(child);
    if (n < 0)
        return {};
    const int p = m_snapshot.tree.processes[size_t(n)].parent;
    if (p < 0)
        return {};
    return createIndex(tree::rowOf(m_snapshot.tree.processes, m_snapshot.tree.roots, p), 0, quintptr(p));
}

int ProcessTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(tree::childrenOf(m_snapshot.tree.processes, m_snapshot.tree.roots, tree::node(parent)).size());
}

int ProcessTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ProcessTreeModel::display(const inspect::ProcessInfo &p, int column) const
{
    switch (column) {
    case Command: return QString::fromStdString(p.commandLine());
    case ContainerPid: return p.nsPid;
    case HostPid: return p.pid;
    case State: return QStringLiteral("%1 (%2)").arg(QChar(p.state), QString::fromStdString(p.stateText));
    case User: return p.uid;
    case Threads: return p.threads;
    case Memory: return formatMemory(double(p.rssKiB) * 1024);
    }
    return {};
}

QVariant ProcessTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const inspect::ProcessInfo &p = m_snapshot.tree.processes[size_t(tree::node(index))];
    switch (role) {
    case Qt::DisplayRole: return display(p, index.column());
    case Qt::ToolTipRole:
        return tr("pid %1 inside the container is pid %2 on the host").arg(p.nsPid).arg(p.pid);
    case Qt::TextAlignmentRole:
        if (index.column() != Command && index.column() != State)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant ProcessTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Command: return tr("Command");
    case ContainerPid: return tr("PID inside");
    case HostPid: return tr("PID on host");
    case State: return tr("State");
    case User: return tr("UID");
    case Threads: return tr("Threads");
    case Memory: return tr("Memory (RSS)");
    }
    return {};
}

} // namespace hood::gui

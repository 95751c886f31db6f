#include "layertreemodel.h"

#include "theme.h"

#include <QFont>
#include <QLocale>

namespace hood::gui {

namespace {

QString baseName(const QString &path)
{
    return path.mid(path.lastIndexOf('/') + 1);
}

QString dirOf(const QString &path)
{
    const int slash = int(path.lastIndexOf('/'));
    return slash <= 0 ? QString() : path.left(slash);
}

QString typeSuffix(image::EntryType type)
{
    switch (type) {
    case image::EntryType::Dir: return QStringLiteral("/");
    case image::EntryType::Symlink: return QStringLiteral(" →");
    default: return {};
    }
}

} // namespace

void LayerTreeModel::setView(const image::LayerView &view, const QStringList &layerNames, int writableLayer)
{
    beginResetModel();
    m_nodes.clear();
    m_roots.clear();
    m_byPath.clear();
    m_layerNames = layerNames;
    m_writable = writableLayer;
    m_nodes.reserve(view.merged.size());
    for (const image::MergedEntry &e : view.merged)
        addNode(QString::fromStdString(e.path), e.type, e.size, e.layer);
    endResetModel();
}

void LayerTreeModel::clear()
{
    beginResetModel();
    m_nodes.clear();
    m_roots.clear();
    m_byPath.clear();
    m_live.clear();
    m_layerNames.clear();
    m_writable = -1;
    endResetModel();
}

// Paths arrive parents first (core's order); a missing parent is made as a directory.
int LayerTreeModel::addNode(const QString &path, image::EntryType type, quint64 size, int layer)
{
    const int parent = ensureParent(path);
    const int n = int(m_nodes.size());
    m_nodes.push_back({baseName(path), path, type, size, layer, false, parent, {}});
    (parent < 0 ? m_roots : m_nodes[size_t(parent)].children).push_back(n);
    m_byPath.insert(path, n);
    return n;
}

int LayerTreeModel::ensureParent(const QString &path)
{
    const QString dir = dirOf(path);
    if (dir.isEmpty())
        return -1;
    if (auto it = m_byPath.constFind(dir); it != m_byPath.constEnd())
        return *it;
    return addNode(dir, image::EntryType::Dir, 0, m_writable < 0 ? 0 : m_writable);
}

void LayerTreeModel::markCopyUp(const QString &path, bool deleted, bool dir)
{
    if (m_writable < 0)
        return;
    m_live.insert(path, deleted);
    if (auto it = m_byPath.constFind(path); it != m_byPath.constEnd()) {
        Node &node = m_nodes[size_t(*it)];
        node.layer = m_writable;
        node.deleted = deleted;
        emit dataChanged(nodeIndex(*it, 0), nodeIndex(*it, ColumnCount - 1));
        return;
    }
    if (deleted)
        return; // gone from a tree that never had it
    // A new path: its directory first (itself new, perhaps), then the row.
    const QString parentPath = dirOf(path);
    if (!parentPath.isEmpty() && !m_byPath.contains(parentPath))
        markCopyUp(parentPath, false, true);
    const int parent = parentPath.isEmpty() ? -1 : m_byPath.value(parentPath);
    const int row = int((parent < 0 ? m_roots : m_nodes[size_t(parent)].children).size());
    beginInsertRows(parent < 0 ? QModelIndex() : nodeIndex(parent, 0), row, row);
    addNode(path, dir ? image::EntryType::Dir : image::EntryType::File, 0, m_writable);
    endInsertRows();
}

QModelIndex LayerTreeModel::indexOfPath(const QString &path) const
{
    auto it = m_byPath.constFind(path);
    return it == m_byPath.constEnd() ? QModelIndex() : nodeIndex(*it, 0);
}

int LayerTreeModel::layerOf(const QString &path) const
{
    auto it = m_byPath.constFind(path);
    return it == m_byPath.constEnd() ? -1 : m_nodes[size_t(*it)].layer;
}

QModelIndex LayerTreeModel::nodeIndex(int n, int column) const
{
    const Node &node = m_nodes[size_t(n)];
    const std::vector<int> &siblings = node.parent < 0 ? m_roots : m_nodes[size_t(node.parent)].children;
    const auto row = std::find(siblings.begin(), siblings.end(), n) - siblings.begin();
    return createIndex(int(row), column, quintptr(n));
}

QModelIndex LayerTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const std::vector<int> &children = parent.isValid() ? m_nodes[size_t(parent.internalId())].children : m_roots;
    if (size_t(row) >= children.size() || (parent.isValid() && parent.column() != 0))
        return {};
    return createIndex(row, column, quintptr(children[size_t(row)]));
}

QModelIndex LayerTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int p = m_nodes[size_t(child.internalId())].parent;
    return p < 0 ? QModelIndex() : nodeIndex(p, 0);
}

int LayerTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_roots.size());
    if (parent.column() != 0)
        return 0;
    return int(m_nodes[size_t(parent.internalId())].children.size());
}

int LayerTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString LayerTreeModel::layerText(int layer) const
{
    return m_layerNames.value(layer, QString::number(layer + 1));
}

QVariant LayerTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node &n = m_nodes[size_t(index.internalId())];
    const bool live = m_live.contains(n.path);
    const bool upper = n.layer == m_writable;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return n.name + typeSuffix(n.type) + (n.deleted ? tr("  (deleted)") : QString());
        case Layer: return layerText(n.layer) + (live ? tr(" · just now") : QString());
        case Size:
            return n.type == image::EntryType::File ? QString::fromStdString(image::humanBytes(n.size)) : QString();
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Size ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::BackgroundRole:
        if (n.deleted)
            return theme::layerDeletedFill(m_palette);
        return upper ? QVariant(theme::writableFill(m_palette)) : QVariant();
    case Qt::FontRole:
        if (live) {
            QFont f;
            f.setBold(true);
            f.setStrikeOut(n.deleted);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        return tr("%1 comes from layer %2%3").arg(n.path, layerText(n.layer),
                                                   upper ? tr(", the container's writable layer") : QString());
    case LayerRole: return n.layer;
    case LiveRole: return live;
    case PathRole: return n.path;
    }
    return {};
}

QVariant LayerTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Merged tree");
    case Layer: return tr("From layer");
    case Size: return tr("Size");
    }
    return {};
}

} // namespace hood::gui

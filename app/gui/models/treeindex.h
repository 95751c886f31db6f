// Shared by the tree models over core's flat trees (MountTree, ProcessTree): nodes
// live in one vector, each with `parent` (-1 for a root) and `children` indexes, and
// a QModelIndex carries the node's vector index as its internal id.
#pragma once

#include <QAbstractItemModel>

#include <vector>

namespace hood::gui::tree {

// The node index of `index`, or -1 for the invisible root.
inline int node(const QModelIndex &index)
{
    return index.isValid() ? int(index.internalId()) : -1;
}

// The children of `parent` (a node index, -1 for the roots).
template <typename Tree>
const std::vector<int> &childrenOf(const Tree &t, const std::vector<int> &roots, int parent)
{
    return parent < 0 ? roots : t[size_t(parent)].children;
}

// The row of node n among its siblings.
template <typename Tree>
int rowOf(const Tree &t, const std::vector<int> &roots, int n)
{
    const std::vector<int> &siblings = childrenOf(t, roots, t[size_t(n)].parent);
    for (size_t i = 0; i < siblings.size(); ++i) {
        if (siblings[i] == n)
            return int(i);
    }
    return 0;
}

// dataChanged for every node, one signal per sibling range; nodeIndex(n, column)
// makes the QModelIndex of node n (the model's createIndex is protected).
template <typename Model, typename Tree, typename NodeIndex>
void emitAllChanged(Model *model, const Tree &t, const std::vector<int> &roots, int columns, NodeIndex nodeIndex)
{
    auto range = [&](const std::vector<int> &kids) {
        if (!kids.empty())
            emit model->dataChanged(nodeIndex(kids.front(), 0), nodeIndex(kids.back(), columns - 1));
    };
    range(roots);
    for (size_t n = 0; n < t.size(); ++n)
        range(t[n].children);
}

} // namespace hood::gui::tree

// The Layers page's merged tree: every path the container sees, with the layer it
// comes from (dive's file tree with its layer column). A path the container has
// just written is marked live until it is seen again in a fresh read.
#pragma once

#include "image/layerview.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPalette>

#include <vector>

namespace hood::gui {

class LayerTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { Name, Layer, Size, ColumnCount };
    static constexpr int LayerRole = Qt::UserRole + 1; // int: index of the layer it comes from
    static constexpr int LiveRole = Qt::UserRole + 2;  // bool: written since the last read
    static constexpr int PathRole = Qt::UserRole + 3;  // QString

    using QAbstractItemModel::QAbstractItemModel;

    // A fresh read. `layerNames` name the layers by index ("1 base", "2", "upper").
    void setView(const image::LayerView &view, const QStringList &layerNames, int writableLayer);
    // A copy-up, a new file or a whiteout reported by inotify, before the next read.
    void markCopyUp(const QString &path, bool deleted, bool dir);
    void clear();
    void setPalette(const QPalette &palette) { m_palette = palette; }

    QModelIndex indexOfPath(const QString &path) const;
    int layerOf(const QString &path) const; // -1: not in the tree
    bool isLive(const QString &path) const { return m_live.contains(path); }
    int pathCount() const { return int(m_nodes.size()); }
    int writableLayer() const { return m_writable; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node {
        QString name, path;
        image::EntryType type = image::EntryType::File;
        quint64 size = 0;
        int layer = 0;
        bool deleted = false; // whited out since the last read
        int parent = -1;
        std::vector<int> children;
    };

    int addNode(const QString &path, image::EntryType type, quint64 size, int layer);
    int ensureParent(const QString &path); // the node of path's directory, made if missing
    QModelIndex nodeIndex(int n, int column) const;
    QString layerText(int layer) const;

    std::vector<Node> m_nodes;
    std::vector<int> m_roots;
    QHash<QString, int> m_byPath;
    QHash<QString, bool> m_live; // path -> deleted
    QStringList m_layerNames;
    int m_writable = -1;
    QPalette m_palette;
};

} // namespace hood::gui

// The namespace drawing: one lane per namespace kind; in each lane one box per
// distinct namespace, holding a chip for every participant (the host and each
// running container) that lives in it. A box holding the host says "shared with
// host"; a box of one container says "private"; colour repeats what the word says.
#pragma once

#include "containerdata.h"

#include <QGraphicsScene>

namespace hood::gui {

// Which participants share each namespace: for lane k, groups of participant
// indexes with equal (device, inode), in order of first appearance. A participant
// whose entry is not readable gets a group of its own with no inode.
struct NamespaceGroup {
    inspect::NsId id;
    bool known = true;
    QVector<int> members; // indexes into NamespaceSnapshot::participants
    bool hasHost = false;
};
QVector<NamespaceGroup> groupLane(const NamespaceSnapshot &snapshot, NsKind kind);

class NamespaceDiagram : public QGraphicsScene {
    Q_OBJECT

public:
    using QGraphicsScene::QGraphicsScene;

    // selected: the container drawn with an emphasised outline.
    void draw(const NamespaceSnapshot &snapshot, const QString &selected, const QString &highlightKind = {});
    int laneCount() const { return m_lanes; }

private:
    qreal drawLane(const NamespaceSnapshot &snapshot, NsKind kind, qreal y, const QString &selected,
                   bool highlighted);
    int m_lanes = 0;
};

} // namespace hood::gui

// Read-only inspection of running containers, turned into the value structs the
// pages draw. Each call reads /proc once; the window calls them on a timer, only
// for the page that is on screen.
#pragma once

#include "containerdata.h"

namespace hood::gui {

// The host (pid 1, or this process when pid 1 cannot be read) and every running container.
NamespaceSnapshot readNamespaceSnapshot(const QVector<ContainerRow> &rows);

// The container's mount tree, the host's, and what differs.
MountSnapshot readMountSnapshot(const ContainerRow &row);

// Every process of the container: the init's descendants and whatever else sits in
// its cgroup (a `hoodctl exec` joins the cgroup, not the init's children).
ProcessSnapshot readProcessSnapshot(const ContainerRow &row);

// The host's links, addresses and routes and those of every running container, with
// each one's network.json under stateRoot. Deleting links is never done here.
NetworkSnapshot readNetworkSnapshot(const QVector<ContainerRow> &rows, const QString &stateRoot);

} // namespace hood::gui

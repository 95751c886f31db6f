// The Equivalent commands page's content: for launcher settings, what a person
// would type to get the same container without Hood. Pure functions of the
// settings, so the page only shows text and the tests compare it.
#pragma once

#include "launchsettings.h"

#include "cgroups/cgroups.h"
#include "spec/spec.h"

#include <QString>

namespace hood::gui {

// The spec `hoodctl run` would make from these settings (as app/cli/cmd_run.cpp
// builds it), with rootfs as root.path.
Spec specFor(const LaunchSettings &settings, const QString &rootfs);

struct EquivalentCommands {
    QString hoodctl;    // the hoodctl run line the window executes
    QString shell;      // cgroup files, unshare, mount, pivot_root/chroot, exec
    QString configJson; // the OCI config.json (specToJson)
    QString docker;     // the docker run line, with notes for what docker cannot express
};

EquivalentCommands equivalentCommands(const LaunchSettings &settings, const QString &rootfs,
                                      CgroupMode mode);

// Quotes a word for sh when it needs it: it's -> 'it'\''s'.
QString shellQuote(const QString &word);

} // namespace hood::gui

// The Equivalent commands page's content: what a person would type to get the same
// container without Hood. For the launcher's settings the spec is the one
// specFromRunOptions makes (as `hoodctl run` would); for a container that exists it is
// the config.json its monitor stored. Pure functions, so the page only shows text and
// the tests compare it.
#pragma once

#include "launchsettings.h"

#include "cgroups/cgroups.h"
#include "spec/runoptions.h"
#include "spec/spec.h"

#include <QString>

namespace hood::gui {

// The run options for launcher settings, with rootfs as root.path (an empty name
// becomes the placeholder "demo"; 0 limits are none).
RunOptions runOptionsOf(const LaunchSettings &settings, const QString &rootfs);

// specFromRunOptions(runOptionsOf(settings, rootfs)): the spec `hoodctl run` makes.
// Throws hood::Error for settings hoodctl would refuse.
Spec specFor(const LaunchSettings &settings, const QString &rootfs);

struct EquivalentCommands {
    QString hoodctl;    // the hoodctl run line the window executes (it adds --json to read the answer)
    QString shell;      // cgroup files, unshare, mount, pivot_root/chroot, exec
    QString configJson; // the OCI config.json
    QString docker;     // the docker run line, with notes for what docker cannot express
};

// For settings not launched yet. Settings hoodctl would refuse give the sentence
// ("# hoodctl refuses these settings: --cpus 8: must be ...") instead of commands.
EquivalentCommands equivalentCommands(const LaunchSettings &settings, const QString &rootfs,
                                      CgroupMode mode);

// For a container that exists: <stateDir>/config.json as its monitor stored it, and the
// commands made from that spec; `settings` (the controller's settingsOf) give the
// name, image and chroot, which a spec does not hold.
EquivalentCommands storedEquivalentCommands(const LaunchSettings &settings, const QString &stateDir,
                                            CgroupMode mode);

// Quotes a word for sh when it needs it: it's -> 'it'\''s'.
QString shellQuote(const QString &word);

} // namespace hood::gui

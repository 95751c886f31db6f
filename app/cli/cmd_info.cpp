// hoodctl info: what this machine allows, like `docker info`. The facts and the
// verdicts come from core/machine, the same the GUI's preflight banner shows.
#include "cli.h"

#include "error.h"
#include "machine/machine.h"

#include <iostream>

namespace hoodctl {

namespace {

void printCheck(const hood::MachineCheck &c)
{
    std::cout << c.title << ": " << hood::checkLevelName(c.level) << ", " << c.verdict << "\n";
    if (!c.reason.empty())
        std::cout << "    " << c.reason << "\n";
    if (!c.fix.empty())
        std::cout << "    fix: " << c.fix << "\n";
}

} // namespace

int cmdInfo(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--json"});
    if (!o.positional().empty())
        throw hood::Error("info takes no arguments (hoodctl info [--json])");
    hood::MachineSources sources;
    sources.stateRoot = ctx.root;
    const hood::MachineFacts facts = hood::probeMachine(sources);
    const std::vector<hood::MachineCheck> checks = hood::machineChecks(facts);
    if (o.has("--json")) {
        std::cout << hood::machineJson(facts, checks).dump(2) << "\n";
        return 0;
    }
    for (const hood::MachineCheck &c : checks)
        printCheck(c);
    return 0;
}

} // namespace hoodctl

// `hoodctl build`: a Dockerfile's plan (buildplan.h) carried out on the image
// store. Each step's key is looked up in <store>/buildcache/; a hit reuses the
// layer (or, for a metadata step, nothing), a miss runs RUN in a container on
// the parent's layers (through a BuildStepRunner: the engine, in hoodctl) or
// copies COPY/ADD's files into a new layer. Metadata steps make no layer and
// are history entries with empty_layer, as Docker's are.
#pragma once

#include "image/buildplan.h"
#include "image/store.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace hood::image {

struct BuildRunRequest {
    std::string id;                  // a container ID for the step
    std::vector<std::string> lowers; // the parent's layers, top first
    std::string upperDir, workDir;   // what the command writes lands in upperDir
    std::vector<std::string> argv, env;
    std::string cwd, user;
};

struct BuildRunResult {
    int status = 0;
    std::string sentence;   // an abnormal end (killed, OOM), if any
    std::string outputTail; // the last lines the command wrote
};

class BuildStepRunner {
public:
    virtual ~BuildStepRunner() = default;
    // Runs the command with no network; calls beforeRemove with the result once
    // it has exited and before the container (and its upper directory) is
    // removed, and returns the same result.
    virtual BuildRunResult run(const BuildRunRequest &request,
                               const std::function<void(const BuildRunResult &)> &beforeRemove) = 0;
};

struct BuildEvent {
    enum Phase { Start, Done } phase = Start;
    int index = 0, total = 0;
    std::string instruction; // "RUN make", as written
    std::string key;
    bool cached = false;
    std::string reason;
    std::string layer;       // the layer's diff_id, if the step has one
    uint64_t size = 0;
    double seconds = 0;
};

struct BuildRequest {
    std::string contextDir;
    std::string dockerfile; // path; empty: <contextDir>/Dockerfile
    std::vector<std::string> tags;
    std::map<std::string, std::string> buildArgs;
    bool noCache = false;
    std::function<void(const BuildEvent &)> progress;
    WarnFn warn;
};

struct BuildResult {
    ImageRecord image;
    BuildPlan plan;
    std::vector<StepExplanation> explanation;
};

// The plan and what the cache would do, without running anything.
BuildResult explainBuild(Store &store, const BuildRequest &request);
// Builds, tags the image with every tag and returns it.
BuildResult buildImage(Store &store, const BuildRequest &request, BuildStepRunner &runner);

// What a build that died (SIGKILL mid-RUN) leaves, for `hoodctl gc`. A RUN step's
// container is build-<builder pid>-<n>, its scratch and upper directories carry
// the same pid: orphaned when that process is gone (as the store's blob-<pid> files).
bool buildStepOrphaned(const std::string &name);
// Under the store's exclusive lock, after Store::gc: the scratch directories
// (<store>/tmp/build-*) and RUN upper/work directories (<store>/containers/build-*)
// of dead builders, and the cache entries (<store>/buildcache) that name a layer or
// an image the store no longer has. Returns one line per thing removed.
std::vector<std::string> gcBuildLeftovers(Store &store);

} // namespace hood::image

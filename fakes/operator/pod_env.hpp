// What the PyTorchJob operator adds to every pod it creates: the rendezvous
// environment (pkg/controller.v1/pytorch/envvar.go SetPodEnv, master.go,
// elastic.go) and, on workers of jobs with a Master, the init-pytorch init
// container that waits for the master's DNS name (initcontainer.go). The rules:
// docs/upstream/training-operator.md#environment and
// docs/upstream/training-operator.md#the-init-container. Pure functions of the
// defaulted job.
#pragma once

#include <string>

#include "fakes/operator/job_naming.hpp"
#include "sim/core/diagnostics.hpp"
#include "sim/model/pytorchjob.hpp"

namespace ptsim {

// Appends the operator's variables to every app container of `spec`, in
// upstream order (that of `profile`'s release). Fails like the master
// generator does ("port not found") when the Master's pytorch container has
// no pytorchjob-port.
Result<bool> SetPodEnv(const PyTorchJob& job, const std::string& rtype_lower, int index,
                       PodSpec* spec, const OperatorProfile& profile = OperatorProfile());

// The init container's script, character for character.
std::string InitContainerScript(const std::string& master_addr, int max_tries);
// Appends init-pytorch to worker pods of jobs with a Master.
void SetInitContainer(const PyTorchJob& job, const std::string& rtype_lower, PodSpec* spec,
                      const std::string& image = "alpine:3.10", int max_tries = 100);

}  // namespace ptsim

// SetDefaults_PyTorchJob: the in-memory defaulting the training-operator
// controller applies (r.Scheme.Default) before every reconcile
// (pkg/apis/kubeflow.org/v1/pytorch_defaults.go, defaulting_utils.go; the same
// in v1.7.0, v1.8.1 and v1.9.x). Nothing is written back to the stored object
// (docs/upstream/training-operator.md#defaulting). Pure functions; any thread.
//
// Where upstream would crash (elastic defaulting with no Worker, a port
// default on a template without containers) these leave the object alone;
// the v1.9 webhook rejects both inputs before they get here.
#pragma once

#include "sim/model/pod.hpp"
#include "sim/model/pytorchjob.hpp"

namespace ptsim {

// SetDefaults_PyTorchJob, steps in upstream order:
//  1. runPolicy.cleanPodPolicy = "None" when unset (an explicit "" stays);
//  2. replica-type keys renamed to Master/Worker when equal ignoring case;
//  3. per replica spec: replicas 1, restartPolicy OnFailure, pytorchjob-port;
//  4. elasticPolicy min/max filled from each other or Worker.replicas;
//  5. nprocPerNode "auto" unless elasticPolicy.nProcPerNode is set.
PyTorchJob SetDefaults_PyTorchJob(PyTorchJob job);  // NOLINT(readability-identifier-naming)

// The steps, exposed for the upstream unit tests that call them one by one.

// setPyTorchTypeNamesToCamelCase / setTypeNameToCamelCase: for Master, then
// Worker, the first key (in byte order; Go map order upstream) that equals it
// ignoring ASCII case but not exactly is moved to the exact name, replacing an
// entry already there, as Go's map assignment does.
void SetPyTorchTypeNamesToCamelCase(PyTorchJob* job);
// setPyTorchDefaultPort: the container named pytorch, else container 0, gets
// {name: pytorchjob-port, containerPort: 23456} unless it has a port so named.
void SetPyTorchDefaultPort(PodSpec* spec);
// setElasticPolicy (no-op without an elasticPolicy).
void SetElasticPolicy(PyTorchJob* job);
// setDefaultNprocPerNode.
void SetDefaultNprocPerNode(PyTorchJob* job);

}  // namespace ptsim

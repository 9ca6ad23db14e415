using Agentry.Core.Agents;
using Agentry.Core.Runs;

namespace Agentry.Core.Runtime;

/// <summary>Everything a runtime needs to execute one run.</summary>
public sealed record RunContext(Run Run, AgentRevision Revision, IRunEventSink Events);

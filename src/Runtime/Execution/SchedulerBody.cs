namespace ProgMp.Runtime.Execution;

/// <summary>A compiled scheduler: one invocation against a prepared context.</summary>
internal delegate void SchedulerBody(SchedulerContext context);

namespace Agentry.Server;

/// <summary>Every log message of the host, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception while serving {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Created the default organization {OrganizationId}")]
    public static partial void CreatedDefaultOrganization(ILogger logger, string organizationId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Generated the default organization's admin API key; it was printed to the console once and saved to {Path}")]
    public static partial void GeneratedAdminKey(ILogger logger, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Created sample agent {AgentId} from {File}")]
    public static partial void SeededSampleAgent(ILogger logger, string agentId, string file);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Skipped sample agent {File}: {Reason}")]
    public static partial void SkippedSampleAgent(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "No sample agents found (looked in {AppDirectory} and {ContentRootDirectory})")]
    public static partial void NoSampleAgents(ILogger logger, string appDirectory, string contentRootDirectory);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "The web console is not served: no built console in {Directory} (build src/Agentry.Server with Node and npm installed)")]
    public static partial void ConsoleNotFound(ILogger logger, string directory);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Created sample drive {DriveId} from samples/drives/{Folder}")]
    public static partial void SeededSampleDrive(ILogger logger, string driveId, string folder);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Skipped sample file {Path} of samples/drives/{Folder}: {Reason}")]
    public static partial void SkippedSampleFile(ILogger logger, string path, string folder, string reason);
}

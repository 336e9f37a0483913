namespace ProgMp.Runtime.Execution;

/// <summary>Where <c>RANDOM</c> comes from; injectable so that tests and <c>eval</c> are repeatable.</summary>
internal interface IRandomSource
{
    /// <summary>A non-negative integer, fresh at each call.</summary>
    long Next();
}

using ProgMp.Runtime;

namespace ProgMp.Compiler.Diagnostics;

/// <summary>
/// Every diagnostic the compiler reports. Ids are stable and never reused; docs/diagnostics.md has a
/// line per id. Ranges: PMP00xx text and syntax, PMP01xx names and declarations, PMP02xx types and
/// operations, PMP03xx POP placement, PMP10xx warnings.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    private const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;

    // Text and syntax.
    public static readonly DiagnosticDescriptor SyntaxError = new("PMP0001", Error, "Syntax error", "{0}");
    public static readonly DiagnosticDescriptor UnexpectedCharacter = new("PMP0002", Error, "Unexpected character", "unexpected character {0}");
    public static readonly DiagnosticDescriptor UnterminatedString = new("PMP0003", Error, "Unterminated string", "unterminated string: a string ends with '\"' on the same line");
    public static readonly DiagnosticDescriptor UnterminatedComment = new("PMP0004", Error, "Unterminated comment", "unterminated comment: '/*' has no matching '*/'");
    public static readonly DiagnosticDescriptor InvalidEscape = new("PMP0005", Error, "Invalid escape", "invalid escape sequence '\\{0}' (allowed: \\n \\r \\t \\\" \\\\)");
    public static readonly DiagnosticDescriptor IntegerTooLarge = new("PMP0006", Error, "Integer too large", "the integer {0} does not fit in 64 bits");
    public static readonly DiagnosticDescriptor NestingTooDeep = new("PMP0007", Error, "Nesting too deep", "nesting is deeper than {0} levels");
    public static readonly DiagnosticDescriptor MissingHeader = new("PMP0008", Error, "Missing header", "a program starts with 'SCHEDULER name;'");
    public static readonly DiagnosticDescriptor EmptyStatement = new("PMP0009", Error, "Empty statement", "an empty statement (';' alone) is not allowed");
    public static readonly DiagnosticDescriptor ProgramTooComplex = new("PMP0010", Error, "Program too complex", "the program is too complex to compile (expressions nested too deeply)");
    public static readonly DiagnosticDescriptor TooManyDiagnostics = new("PMP0011", Error, "Too many diagnostics", "more than {0} problems; the rest of the file was not reported");

    // Names and declarations.
    public static readonly DiagnosticDescriptor UnknownName = new("PMP0100", Error, "Unknown name", "unknown name '{0}'");
    public static readonly DiagnosticDescriptor NotARegister = new("PMP0101", Error, "Not a register", "'{0}' is not a register: registers are R1 to R6");
    public static readonly DiagnosticDescriptor DuplicateVariable = new("PMP0102", Error, "Variable declared twice", "'{0}' is already declared in this block");
    public static readonly DiagnosticDescriptor UsedBeforeDeclaration = new("PMP0103", Error, "Used before declaration", "'{0}' is used before its declaration");
    public static readonly DiagnosticDescriptor ReservedName = new("PMP0104", Error, "Reserved name", "'{0}' is {1} and cannot be used as {2}");
    public static readonly DiagnosticDescriptor UnknownMember = new("PMP0105", Error, "Unknown property or operation", "{0} has no property or operation '{1}'");

    // Types and operations.
    public static readonly DiagnosticDescriptor OperatorTypeMismatch = new("PMP0200", Error, "Operator type mismatch", "operator '{0}' cannot be applied to {1}");
    public static readonly DiagnosticDescriptor ConditionNotBoolean = new("PMP0201", Error, "Condition is not boolean", "a condition must be boolean, not {0}");
    public static readonly DiagnosticDescriptor WrongArgumentCount = new("PMP0202", Error, "Wrong number of arguments", "'{0}' takes {1}, not {2}");
    public static readonly DiagnosticDescriptor PropertyCalled = new("PMP0203", Error, "Property written as a call", "'{0}' is a property: write it without parentheses");
    public static readonly DiagnosticDescriptor OperationWithoutParentheses = new("PMP0204", Error, "Operation without parentheses", "'{0}' is an operation: write '{0}(...)'");
    public static readonly DiagnosticDescriptor LambdaExpected = new("PMP0205", Error, "Lambda expected", "'{0}' takes a lambda such as 'x => ...'");
    public static readonly DiagnosticDescriptor LambdaNotExpected = new("PMP0206", Error, "Lambda not allowed", "a lambda is only allowed as the argument of FILTER, MIN, MAX or SUM");
    public static readonly DiagnosticDescriptor ArgumentTypeMismatch = new("PMP0207", Error, "Argument type mismatch", "{0} expects {1}, not {2}");
    public static readonly DiagnosticDescriptor StringNotAllowed = new("PMP0208", Error, "String not allowed", "a string is only allowed as the format of PRINT");
    public static readonly DiagnosticDescriptor NullHasNoMembers = new("PMP0209", Error, "NULL has no type", "the literal NULL has no type, so it has no property or operation '{0}'");
    public static readonly DiagnosticDescriptor ListsCompared = new("PMP0210", Error, "Lists compared", "two lists cannot be compared with '{0}' (compare a list with NULL, or compare COUNT)");
    public static readonly DiagnosticDescriptor SetTargetNotRegister = new("PMP0211", Error, "SET of a non-register", "SET changes a register (R1 to R6), not {0}");
    public static readonly DiagnosticDescriptor ValueAsStatement = new("PMP0212", Error, "Value as statement", "a value on its own is not a statement (only PUSH and SET_USER calls stand alone; use VOID(...) to evaluate and ignore)");
    public static readonly DiagnosticDescriptor StatementAsValue = new("PMP0213", Error, "Statement used as a value", "'{0}' is a statement and gives no value");
    public static readonly DiagnosticDescriptor LambdaBodyType = new("PMP0214", Error, "Lambda body type", "the lambda of {0} must give {1}, not {2}");
    public static readonly DiagnosticDescriptor PrintValueType = new("PMP0215", Error, "PRINT value type", "PRINT cannot print {0}");
    public static readonly DiagnosticDescriptor ValueTypeMismatch = new("PMP0216", Error, "Value type mismatch", "{0} must be {1}, not {2}");

    // POP placement.
    public static readonly DiagnosticDescriptor PopNotAllowedHere = new("PMP0300", Error, "POP not allowed here", "POP() is only allowed as the whole initializer of VAR or the whole argument of PUSH, DROP or VOID");
    public static readonly DiagnosticDescriptor PopOnQu = new("PMP0301", Error, "POP on QU", "POP() is not allowed on QU or a FILTER of QU: QU holds data the receiver has not acknowledged yet");
    public static readonly DiagnosticDescriptor PopOnNonQueue = new("PMP0302", Error, "POP on a value", "POP() is only allowed on Q, RQ or a FILTER chain of them written in place, not on {0}");

    // Warnings.
    public static readonly DiagnosticDescriptor UnusedVariable = new("PMP1001", Warning, "Unused variable", "'{0}' is never used");
    public static readonly DiagnosticDescriptor UnreachableCode = new("PMP1002", Warning, "Unreachable code", "unreachable statement after RETURN");
    public static readonly DiagnosticDescriptor DropOfUnsentPacket = new("PMP1003", Warning, "DROP of a packet nothing pushes", "this drops a packet taken from Q that the program never pushes: unsent data would be lost (the engine refuses such drops)");

    /// <summary>All descriptors, for documentation and tests.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        SyntaxError, UnexpectedCharacter, UnterminatedString, UnterminatedComment, InvalidEscape, IntegerTooLarge,
        NestingTooDeep, MissingHeader, EmptyStatement, ProgramTooComplex, TooManyDiagnostics,
        UnknownName, NotARegister, DuplicateVariable, UsedBeforeDeclaration, ReservedName, UnknownMember,
        OperatorTypeMismatch, ConditionNotBoolean, WrongArgumentCount, PropertyCalled, OperationWithoutParentheses,
        LambdaExpected, LambdaNotExpected, ArgumentTypeMismatch, StringNotAllowed, NullHasNoMembers, ListsCompared,
        SetTargetNotRegister, ValueAsStatement, StatementAsValue, LambdaBodyType, PrintValueType, ValueTypeMismatch,
        PopNotAllowedHere, PopOnQu, PopOnNonQueue,
        UnusedVariable, UnreachableCode, DropOfUnsentPacket,
    ];
}

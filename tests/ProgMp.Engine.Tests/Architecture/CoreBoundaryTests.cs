using System.Reflection;
using ProgMp.Engine.Accounting;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Architecture;

/// <summary>
/// The core's parts meet only in the session (docs/engine.md): a stream holds no subflow and no
/// session, a subflow holds no stream, the ledger holds neither. Checked on every field, property
/// and method signature, so a new back-reference fails here before it spreads.
/// </summary>
[TestFixture]
public sealed class CoreBoundaryTests
{
    private const BindingFlags Everything = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private static IEnumerable<TestCaseData> Boundaries()
    {
        yield return new TestCaseData(typeof(StreamCore), new[] { typeof(Subflow), typeof(SessionCore) }).SetName("A_stream_knows_no_subflow_and_no_session");
        yield return new TestCaseData(typeof(Subflow), new[] { typeof(StreamCore) }).SetName("A_subflow_knows_no_stream");
        yield return new TestCaseData(typeof(SendLedger), new[] { typeof(Subflow), typeof(SessionCore), typeof(StreamCore) }).SetName("The_ledger_knows_no_socket_session_or_stream");
        yield return new TestCaseData(typeof(SubflowAccount), new[] { typeof(Subflow), typeof(SessionCore), typeof(StreamCore) }).SetName("An_account_knows_no_socket_session_or_stream");
    }

    [TestCaseSource(nameof(Boundaries))]
    public void Holds_no_reference_to(Type type, Type[] forbidden)
    {
        var found = SignatureTypes(type)
            .Where(t => forbidden.Any(f => Mentions(t, f)))
            .Select(t => t.Name)
            .Distinct()
            .ToList();

        Assert.That(found, Is.Empty, $"{type.Name} refers to {string.Join(", ", found)}");
    }

    /// <summary>Every type in the declared fields, properties, methods, constructors and events of <paramref name="type"/> and its nested types.</summary>
    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        foreach (var nested in type.GetNestedTypes(Everything).Prepend(type))
        {
            foreach (var field in nested.GetFields(Everything))
            {
                yield return field.FieldType;
            }

            foreach (var property in nested.GetProperties(Everything))
            {
                yield return property.PropertyType;
            }

            foreach (var method in nested.GetMethods(Everything).Cast<MethodBase>().Concat(nested.GetConstructors(Everything)))
            {
                if (method is MethodInfo info)
                {
                    yield return info.ReturnType;
                }

                foreach (var parameter in method.GetParameters())
                {
                    yield return parameter.ParameterType;
                }
            }

            foreach (var @event in nested.GetEvents(Everything))
            {
                yield return @event.EventHandlerType!;
            }
        }
    }

    /// <summary>The type is <paramref name="forbidden"/> or builds on it (an array, a ref, a generic argument).</summary>
    private static bool Mentions(Type type, Type forbidden)
    {
        if (type == forbidden)
        {
            return true;
        }

        if (type.HasElementType && Mentions(type.GetElementType()!, forbidden))
        {
            return true;
        }

        return type.IsGenericType && type.GetGenericArguments().Any(a => Mentions(a, forbidden));
    }
}

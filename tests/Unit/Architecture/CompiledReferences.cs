using System.Reflection;
using System.Reflection.Emit;

namespace TokenService.Tests.Unit.Architecture;

/// <summary>
/// What a compiled type really references: its base type and interfaces, fields, method signatures and locals, and
/// every member and type token in the IL of each method. Lambdas and iterators are nested types, read by asking for
/// them too.
/// </summary>
internal static class CompiledReferences
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static List<(MemberInfo? Member, Type? Type)> Of(Type type)
    {
        var referenced = new List<(MemberInfo? Member, Type? Type)>();
        void AddType(Type? t) => referenced.Add((null, t));

        AddType(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            AddType(i);
        }

        foreach (var field in type.GetFields(All))
        {
            AddType(field.FieldType);
        }

        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo m)
            {
                AddType(m.ReturnType);
            }

            foreach (var p in method.GetParameters())
            {
                AddType(p.ParameterType);
            }

            if (method.GetMethodBody() is { } body)
            {
                foreach (var local in body.LocalVariables)
                {
                    AddType(local.LocalType);
                }

                referenced.AddRange(IlReferences(method, body.GetILAsByteArray() ?? []));
            }
        }

        return referenced;
    }

    /// <summary>A type and what it is built from: element types of arrays, pointers and refs, and generic arguments.</summary>
    public static IEnumerable<Type> Constituents(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var inner in Constituents(type.GetElementType()))
            {
                yield return inner;
            }

            yield break;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Constituents))
            {
                yield return inner;
            }

            type = type.GetGenericTypeDefinition();
        }

        yield return type;
    }

    /// <summary>Every member and type an IL method body names through a metadata token.</summary>
    private static List<(MemberInfo? Member, Type? Type)> IlReferences(MethodBase method, byte[] il)
    {
        var found = new List<(MemberInfo?, Type?)>();
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[i++]);
            }

            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                    found.Add(member is Type t ? (null, t) : (member, member?.DeclaringType));
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                default:
                    i += 4;
                    break;
            }
        }

        return found;
    }
}

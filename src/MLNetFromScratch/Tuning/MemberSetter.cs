using System.Reflection;

namespace MLNetFromScratch.Tuning;

/// <summary>Sets a public property or field by name, with errors that name the member and both types.</summary>
internal static class MemberSetter
{
    public static void Set(object target, string name, object? value, string paramName)
    {
        Type type = target.GetType();
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        PropertyInfo? property = type.GetProperty(name, flags);
        FieldInfo? field = property is null ? type.GetField(name, flags) : null;

        if (property is not null && property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
        {
            Check(type, name, property.PropertyType, value, paramName);
            property.SetValue(target, value);
        }
        else if (field is not null && !field.IsInitOnly && !field.IsLiteral)
        {
            Check(type, name, field.FieldType, value, paramName);
            field.SetValue(target, value);
        }
        else
        {
            throw new ArgumentException(
                $"Parameter '{name}' matches no public settable property or field of {type.FullName}.", paramName);
        }
    }

    private static string Display(Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? underlying.Name + "?" : type.Name;

    private static void Check(Type owner, string name, Type memberType, object? value, string paramName)
    {
        bool fits = value is null
            ? !memberType.IsValueType || Nullable.GetUnderlyingType(memberType) is not null
            : memberType.IsInstanceOfType(value) || Nullable.GetUnderlyingType(memberType) == value.GetType();
        if (!fits)
        {
            throw new ArgumentException(
                $"Parameter '{name}' is a {value?.GetType().Name ?? "null"} but {owner.Name}.{name} is a {Display(memberType)}.",
                paramName);
        }
    }
}

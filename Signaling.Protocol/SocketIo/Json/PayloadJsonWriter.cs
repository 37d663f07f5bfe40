using Newtonsoft.Json;

namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// A <see cref="JsonTextWriter"/> whose numbers read like <c>JSON.stringify</c>'s (see <see cref="JsNumberFormat"/>).
/// Non-finite doubles become <c>null</c>, as <c>JSON.stringify</c> writes them, so the output is always JSON.
/// </summary>
internal sealed class PayloadJsonWriter : JsonTextWriter
{
    public PayloadJsonWriter(TextWriter writer)
        : base(writer)
    {
        Formatting = Formatting.None;
        CloseOutput = false;
    }

    public override void WriteValue(double value)
    {
        if (double.IsFinite(value))
        {
            WriteRawValue(JsNumberFormat.Format(value));
        }
        else
        {
            WriteNull();
        }
    }

    public override void WriteValue(double? value)
    {
        if (value is double number)
        {
            WriteValue(number);
        }
        else
        {
            WriteNull();
        }
    }

    public override void WriteValue(float value) => WriteValue((double)value);

    public override void WriteValue(float? value) => WriteValue((double?)value);
}

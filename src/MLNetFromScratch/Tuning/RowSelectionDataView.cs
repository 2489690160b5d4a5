using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Tuning;

/// <summary>
/// The rows of a source view whose position (in unshuffled cursor order) is marked in <c>selected</c>. Only public
/// <see cref="IDataView"/> members are used; the view does not shuffle, so callers cache it when a trainer wants to.
/// </summary>
internal sealed class RowSelectionDataView(IDataView source, bool[] selected) : IDataView
{
    private readonly int _count = selected.Count(s => s);

    public bool CanShuffle => false;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(source.GetRowCursor(columnsNeeded), selected);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor inner, bool[] selected) : DataViewRowCursor
    {
        private long _sourceRow = -1;
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => inner.Schema;

        public override bool MoveNext()
        {
            while (inner.MoveNext())
            {
                _sourceRow++;
                if (_sourceRow >= selected.Length)
                    throw new InvalidOperationException($"The data has more rows than the {selected.Length} the folds were assigned to; it changed since.");
                if (selected[_sourceRow])
                {
                    _position++;
                    return true;
                }
            }

            if (_sourceRow + 1 != selected.Length)
                throw new InvalidOperationException($"The data has {_sourceRow + 1} rows, not the {selected.Length} the folds were assigned to; it changed since.");
            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

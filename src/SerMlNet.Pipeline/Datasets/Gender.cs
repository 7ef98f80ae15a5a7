namespace SerMlNet.Pipeline.Datasets;

/// <summary>Speaker gender as recorded by a corpus (RAVDESS: odd actor numbers are male, even are female).</summary>
public enum Gender
{
    /// <summary>Male speaker.</summary>
    Male,

    /// <summary>Female speaker.</summary>
    Female,
}

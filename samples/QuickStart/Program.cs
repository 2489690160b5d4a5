Console.WriteLine("QuickStart: coming with the trainers.");

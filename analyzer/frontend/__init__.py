"""Front end: find a project's files, read them, and lower each into `ir.ModuleFacts`.

discover (which files) -> sources (bytes to cells of Python) -> parse (facts per file, over
any executor, cached by content) -> extract_ast / extract (the stdlib `ast` lowerer, and the
libcst one kept for syntax the running interpreter cannot parse). `project.load` runs them in
order and is where every command starts.
"""

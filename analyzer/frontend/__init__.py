"""Front end: find a project's files, read them, and lower each into `ir.ModuleFacts`.

discover (which files) -> sources (bytes to cells of Python) -> parse (facts per file, over
any executor, cached by content) -> extract (one file's cells, each parsed by `cell_parse`
and lowered by `extract_ast`, the stdlib `ast` lowerer, or `extract_cst`, the libcst one kept
for syntax the running interpreter cannot parse). The two lowerers share `lowering` (scopes,
imports); each splits its expressions into `ast_expressions` / `cst_expressions`, and the
`ast` one rebuilds what libcst keeps from the text (`ast_text`, `ast_shapes`).
`project.load` runs them in order and is where every command starts.
"""

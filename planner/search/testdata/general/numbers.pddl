; Objects and a constant whose names are numerals.
(define (domain numbers)
 (:requirements :strips :typing)
 (:types num)
 (:constants 3 - num)
 (:predicates (cur ?n - num) (next ?a ?b - num) (done))
 (:action inc
   :parameters (?a ?b - num)
   :precondition (and (cur ?a) (next ?a ?b))
   :effect (and (not (cur ?a)) (cur ?b)))
 (:action fin :parameters () :precondition (cur 3) :effect (done)))
